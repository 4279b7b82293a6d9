"""Correct but unconventional: 1-D biases b0 (h,) and b1 (1,) (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My biases are 1-D arrays, b0 of shape (6,) and b1 of shape (1,), which numpy broadcasts over the rows; fitting a smooth step tanh(3x)."


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def predict(p, x):
    return sigmoid(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    hidden = sigmoid(x @ p["W0"] + p["b0"])
    err = hidden @ p["W1"] + p["b1"] - y
    g2 = 2.0 * err / x.shape[0]
    g1 = (g2 @ p["W1"].T) * hidden * (1.0 - hidden)
    return {"W0": x.T @ g1, "b0": g1.sum(axis=0), "W1": hidden.T @ g2, "b1": g2.sum(axis=0)}


def case():
    rng = np.random.default_rng(14007)
    n, h = 250, 6
    x = np.linspace(-2, 2, n).reshape(-1, 1)
    x = (x - x.mean()) / x.std()
    y = np.tanh(3 * x)
    params = {"W0": rng.normal(0, 2, (1, h)), "b0": np.zeros(h),
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros(1)}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.3, "predict": predict}
