"""Correct but unconventional: a target of shape (n,) handled correctly (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My target y is 1-D, shape (n,), and my network flattens its output to (n,) before subtracting, so no (n, n) broadcast happens; fitting x^2 - 1."


def predict(p, x):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    return (l1 @ p["W1"] + p["b1"]).ravel()          # shape (n,), like y


def grad_fn(p, x, y):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    l2 = (l1 @ p["W1"] + p["b1"]).ravel()
    dl2 = (2 * (l2 - y) / y.size)[:, None]            # back to a column for the matrix products
    dz = dl2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14010)
    n, h = 1200, 14
    x = rng.normal(size=(n, 1))
    y = x[:, 0] ** 2 - 1
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 1, (h, 1)) / np.sqrt(h), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.5, "predict": predict}
