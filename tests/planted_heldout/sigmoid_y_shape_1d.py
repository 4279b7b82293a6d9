"""Planted bug: a target of shape (n,), so l2 - y broadcasts to (n, n) (held-out suite)."""

import numpy as np

EXPECTED = "y_shape_1d"
DESCRIPTION = "My y has shape (n,) while l2 has shape (n, 1), so l2 - y silently became an (n, n) matrix; I averaged the extra axis away to make the shapes fit, and the network learns to predict mean(y) everywhere."


def predict(p, x):
    return 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"]))) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    l2 = l1 @ p["W1"] + p["b1"]
    err = l2 - y                                     # BUG: (n, 1) - (n,) -> (n, n)
    dl2 = 2 * err.mean(axis=1, keepdims=True) / len(x)   # "fix" the shape: back to (n, 1)
    dz = dl2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14035)
    n, h = 400, 10
    x = rng.normal(size=(n, 1))
    y = np.sin(2 * x).ravel()                        # shape (n,)
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.5, "predict": predict}
