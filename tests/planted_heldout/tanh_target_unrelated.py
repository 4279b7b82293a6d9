"""Planted bug: the target has no relation to the input (held-out suite)."""

import numpy as np

EXPECTED = "target_unrelated"
DESCRIPTION = "I shuffled y separately from x when loading my data, so y is a step-like signal that no longer depends on x; the network cannot do better than predicting the mean."


def predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    a = np.tanh(x @ p["W0"] + p["b0"])
    d = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
    dz = d @ p["W1"].T * (1 - a ** 2)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ d, "b1": d.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14034)
    n, h = 1500, 8
    x = rng.normal(size=(n, 1))
    y_true = np.where(x > 0, 1.0, -1.0) + 0.2 * x
    y = y_true[rng.permutation(n)]                   # BUG: shuffled apart from x
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.35, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict}
