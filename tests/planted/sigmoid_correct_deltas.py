"""Correct sigmoid network in the question's style: deltas are ADDED (y - l2), the adapter negates."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "The question's network with every bug fixed: deltas computed from (y - l2) and added, mean loss, one bias per unit."


def case():
    rng = np.random.default_rng(2024)
    x_pre = 2 * rng.normal(size=(1000, 1))
    y = x_pre ** 2 + -0.2 * np.cos(3 * np.pi * x_pre)
    x = (x_pre - np.mean(x_pre)) / np.std(x_pre)
    y = (y - y.mean()) / y.std()
    ndim = 10
    w0 = 2 * rng.random((1, ndim)) - 1
    w1 = 2 * rng.random((ndim, 1)) - 1
    b0 = np.zeros((1, ndim))
    b1 = np.zeros((1, 1))

    def deltas(p, x, y):
        l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
        l2 = np.dot(l1, p["W1"]) + p["b1"]
        l2_delta = 2 * (y - l2) / len(y)
        l1_delta = l2_delta.dot(p["W1"].T) * (l1 * (1 - l1))
        return {"W1": l1.T.dot(l2_delta), "W0": x.T.dot(l1_delta),
                "b0": l1_delta.sum(axis=0, keepdims=True),
                "b1": l2_delta.sum(axis=0, keepdims=True)}

    def grad_fn(p, x, y):
        # my code does w += lr * delta; the doctor subtracts, so hand it -delta
        return {k: -v for k, v in deltas(p, x, y).items()}

    def predict(p, x):
        l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
        return np.dot(l1, p["W1"]) + p["b1"]

    return dict(params={"W0": w0, "b0": b0, "W1": w1, "b1": b1}, x=x, y=y,
                grad_fn=grad_fn, lr=0.1, predict=predict, x_raw=x_pre)
