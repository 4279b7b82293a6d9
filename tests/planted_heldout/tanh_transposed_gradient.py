"""Planted bug: the hidden delta is built transposed and reshaped back instead of transposed (held-out suite)."""

import numpy as np

EXPECTED = "transposed_gradient"
DESCRIPTION = "I computed the hidden layer's error as W1 @ dl2.T, shape (h, n), and fixed the shape with .reshape(n, h) instead of .T, which scrambles which sample goes with which unit; dW0 and db0 come out the right size but wrong."


def predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    n, h = len(x), p["W0"].shape[1]
    a = np.tanh(x @ p["W0"] + p["b0"])
    dl2 = 2 * (a @ p["W1"] + p["b1"] - y) / n
    da_t = p["W1"] @ dl2.T                           # (h, n)
    da = da_t.reshape(n, h)                          # BUG: should be da_t.T
    dz = da * (1 - a ** 2)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14023)
    n, h = 240, 6
    x = np.sort(rng.uniform(-1.7, 1.7, (n, 1)), axis=0)
    y = np.sin(2.5 * x)
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict}
