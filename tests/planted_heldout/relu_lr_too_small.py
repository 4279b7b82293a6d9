"""Planted bug: a correct gradient with a learning rate so small nothing moves (held-out suite)."""

import numpy as np

EXPECTED = "lr_too_small"
DESCRIPTION = "My gradient is right but I set lr = 1e-6 to be safe; after thousands of epochs the loss has not moved."


def predict(p, x):
    return np.maximum(0.0, x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    z = x @ p["W0"] + p["b0"]
    a = np.maximum(0.0, z)
    d2 = 2.0 * (a @ p["W1"] + p["b1"] - y) / len(y)
    d1 = (d2 @ p["W1"].T) * (z > 0)
    return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": a.T @ d2, "b1": d2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14029)
    n, h = 400, 12
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = np.where(x > 0, 1.0, -1.0) + 0.5 * x
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 1e-6, "predict": predict}
