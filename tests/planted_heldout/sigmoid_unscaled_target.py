"""Planted bug: a target in the thousands, not standardised (held-out suite)."""

import numpy as np

EXPECTED = "unscaled_target"
DESCRIPTION = "My target is a price around 4000 with a spread of about 1500 (two bumps over a base), used raw; the input is standardised."


def layer_stack(p):
    return [lambda a: a @ p["W0"] + p["b0"], lambda a: 1 / (1 + np.exp(-a)), lambda a: a @ p["W1"] + p["b1"]]


def predict(p, x):
    a = x
    for f in layer_stack(p):
        a = f(a)
    return a


def grad_fn(p, x, y):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    l2 = l1 @ p["W1"] + p["b1"]
    dl2 = 2 * (l2 - y) / len(y)
    dz = dl2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14027)
    n, h = 700, 12
    x = rng.normal(size=(n, 1))
    y = 3000 + 3000 * np.exp(-4 * (x - 0.7) ** 2) + 2000 * np.exp(-4 * (x + 0.9) ** 2)   # BUG: not scaled
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 1 / np.sqrt(h), (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.01, "predict": predict}
