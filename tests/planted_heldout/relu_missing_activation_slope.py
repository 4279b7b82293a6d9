"""Planted bug: the hidden delta forgets relu's 0/1 slope (held-out suite)."""

import numpy as np

EXPECTED = "missing_activation_slope"
DESCRIPTION = "I passed the error back through the relu as if it were the identity: l1_delta = l2_delta.dot(w1.T), without the mask (z0 > 0)."


def predict(p, x):
    return np.maximum(0, x.dot(p["W0"]) + p["b0"]).dot(p["W1"]) + p["b1"]


def grad_fn(p, x, y):
    l1 = np.maximum(0, x.dot(p["W0"]) + p["b0"])
    l2 = l1.dot(p["W1"]) + p["b1"]
    l2_delta = 2 * (l2 - y) / x.shape[0]
    l1_delta = l2_delta.dot(p["W1"].T)             # BUG: relu's slope (z0 > 0) is missing
    return {"W0": x.T.dot(l1_delta), "b0": l1_delta.sum(axis=0, keepdims=True),
            "W1": l1.T.dot(l2_delta), "b1": l2_delta.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14012)
    n, h = 900, 12
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = np.abs(x) * 1.2 - 1.0
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.05, "predict": predict}
