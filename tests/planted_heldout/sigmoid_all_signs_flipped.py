"""Planted bug: gradient ascent, every update climbs the loss (held-out suite)."""

import numpy as np

EXPECTED = "all_signs_flipped"
DESCRIPTION = "I followed the question's `w += lr * delta` style but computed my deltas from (l2 - y) instead of (y - l2), so every parameter moves uphill."


def sig(z):
    return 1 / (1 + np.exp(-z))


def predict(p, x):
    return sig(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    l1 = sig(x @ p["W0"] + p["b0"])
    l2 = l1 @ p["W1"] + p["b1"]
    l2_delta = 2 * (l2 - y) / len(y)                # BUG: should be y - l2 for `+=` updates
    l1_delta = l2_delta @ p["W1"].T * l1 * (1 - l1)
    deltas = {"W1": l1.T @ l2_delta, "b1": l2_delta.sum(0, keepdims=True),
              "W0": x.T @ l1_delta, "b0": l1_delta.sum(0, keepdims=True)}
    return {k: -d for k, d in deltas.items()}       # the loop adds deltas; as a descent gradient: minus


def case():
    rng = np.random.default_rng(14017)
    n, h = 300, 7
    x = rng.normal(size=(n, 1))
    y = np.exp(-x ** 2) * 2 - 1
    params = {"W0": 2 * rng.random((1, h)) - 1, "b0": np.zeros((1, h)),
              "W1": 2 * rng.random((h, 1)) - 1, "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.2, "predict": predict}
