"""Planted: relu network whose biases were created with the batch's shape, (n, h) and (n, 1)."""
import numpy as np

EXPECTED = "per_sample_biases"
DESCRIPTION = "I created b0 = np.zeros_like(x @ W0) and b1 = np.zeros_like(y), so each of my 300 samples has its own biases and the network memorises them."


def case():
    rng = np.random.default_rng(201)
    n, h = 300, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = np.abs(x) + 0.2 * rng.normal(size=(n, 1))
    W0 = rng.normal(size=(1, h))
    W1 = rng.normal(size=(h, 1)) * np.sqrt(2 / h)
    b0 = np.zeros_like(x @ W0) + 0.1                     # BUG: (n, h)
    b1 = np.zeros_like(y)                                # BUG: (n, 1)

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]; a = np.maximum(z, 0)
        e = 2 * (a @ p["W1"] + p["b1"] - y) / n
        dz = e @ p["W1"].T * (z > 0)
        return {"W0": x.T @ dz, "b0": dz, "W1": a.T @ e, "b1": e}

    return dict(params={"W0": W0, "b0": b0, "W1": W1, "b1": b1}, x=x, y=y, grad_fn=grad_fn,
                lr=0.05, predict=predict)
