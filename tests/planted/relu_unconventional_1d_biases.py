"""Correct but unusual: 1-D biases b0 of shape (h,) and b1 of shape (1,), broadcasting over rows."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My biases are 1-D numpy vectors, b0.shape == (12,) and b1.shape == (1,), and their gradients are summed over axis 0."


def case():
    rng = np.random.default_rng(31)
    n, h = 500, 12
    x = rng.uniform(-2, 2, (n, 1))
    y = 0.5 * x ** 2 - x
    W0 = rng.normal(size=(1, h))
    b0 = rng.uniform(-2, 2, size=h)
    W1 = rng.normal(size=(h, 1)) * np.sqrt(2 / h)
    b1 = np.zeros(1)

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]
        a = np.maximum(z, 0)
        e = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
        dz = (e @ p["W1"].T) * (z > 0)
        return {"W0": x.T @ dz, "b0": dz.sum(axis=0), "W1": a.T @ e, "b1": e.sum(axis=0)}

    return dict(params={"W0": W0, "b0": b0, "W1": W1, "b1": b1}, x=x, y=y,
                grad_fn=grad_fn, lr=0.02, predict=predict)
