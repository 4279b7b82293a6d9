"""Planted bug: every relu unit dead from the start (held-out suite)."""

import numpy as np

EXPECTED = "dead_relu"
DESCRIPTION = "I initialised the hidden biases at -5 with small weights, so every relu unit outputs 0 for every sample and no gradient reaches the first layer."


def predict(p, x):
    return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    z = x @ p["W0"] + p["b0"]
    a = np.maximum(z, 0)
    d = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
    dz = d @ p["W1"].T * (z > 0)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ d, "b1": d.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14033)
    n, h = 500, 12
    x = rng.normal(size=(n, 1))
    x = np.clip(x, -3, 3)
    y = np.abs(x) - 0.8
    params = {"W0": rng.normal(0, 0.5, (1, h)), "b0": np.full((1, h), -5.0),   # BUG: all units dead
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.05, "predict": predict}
