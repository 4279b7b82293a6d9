"""Planted: relu network on a raw year-like input around 2000."""
import numpy as np

EXPECTED = "unscaled_input"
DESCRIPTION = "My input is a year, 1950 to 2050, fed raw into a relu layer with lr = 0.01; the first step throws the weights away."


def case():
    rng = np.random.default_rng(181)
    n, hidden = 300, 8
    year = rng.uniform(1950, 2050, (n, 1))          # BUG: never scaled
    target = ((year - 2000) / 30.0) ** 2
    w0 = rng.normal(size=(1, hidden)) * 0.01
    w1 = rng.normal(size=(hidden, 1)) * 0.5
    b0 = np.zeros((1, hidden))
    b1 = np.zeros((1, 1))

    def predict(p, x):
        return np.dot(np.maximum(np.dot(x, p["W0"]) + p["b0"], 0), p["W1"]) + p["b1"]

    def grad_fn(p, x, y):
        z1 = np.dot(x, p["W0"]) + p["b0"]
        l1 = np.maximum(z1, 0)
        l2 = np.dot(l1, p["W1"]) + p["b1"]
        l2_delta = 2 * (y - l2) / len(y)
        l1_delta = np.dot(l2_delta, p["W1"].T) * (z1 > 0)
        # w1 += lr*l1.T.dot(l2_delta) and so on in my loop: hand the doctor the negatives
        return {"W1": -np.dot(l1.T, l2_delta), "b1": -l2_delta.sum(axis=0, keepdims=True),
                "W0": -np.dot(x.T, l1_delta), "b0": -l1_delta.sum(axis=0, keepdims=True)}

    return dict(params={"W0": w0, "b0": b0, "W1": w1, "b1": b1}, x=year, y=target,
                grad_fn=grad_fn, lr=0.01, predict=predict)
