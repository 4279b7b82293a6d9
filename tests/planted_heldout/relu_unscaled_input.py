"""Planted bug: raw inputs in the thousands, never scaled (held-out suite)."""

import numpy as np

EXPECTED = "unscaled_input"
DESCRIPTION = "My input is a year between 1900 and 2100 fed in raw, not standardised; the target is a smooth trend of it."


def predict(p, x):
    return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    z = x @ p["W0"] + p["b0"]
    a = np.maximum(z, 0)
    g = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
    gz = g @ p["W1"].T * (z > 0)
    return {"W0": x.T @ gz, "b0": gz.sum(0, keepdims=True), "W1": a.T @ g, "b1": g.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14026)
    n, h = 300, 8
    x = rng.uniform(1900, 2100, (n, 1))              # BUG: used as is
    t = (x - 2000) / 60
    y = np.abs(t) - 0.8
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.01, "predict": predict}
