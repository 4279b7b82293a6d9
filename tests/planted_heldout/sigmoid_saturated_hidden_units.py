"""Planted bug: every hidden unit saturated from the start (held-out suite)."""

import numpy as np

EXPECTED = "saturated_hidden_units"
DESCRIPTION = "I initialised the hidden biases at +-40 (weights up to 8), so every sigmoid unit sits at 0 or 1 for every sample and its slope is about zero."


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))               # overflow-free sigmoid


def predict(p, x):
    return sigmoid(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    s = sigmoid(x @ p["W0"] + p["b0"])
    d = 2 * (s @ p["W1"] + p["b1"] - y) / len(y)
    dz = d @ p["W1"].T * s * (1 - s)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": s.T @ d, "b1": d.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14032)
    n, h = 600, 10
    x = rng.uniform(-1.5, 1.5, (n, 1))
    y = np.sin(2 * x)
    params = {"W0": rng.uniform(-8, 8, (1, h)),
              "b0": np.sign(rng.normal(size=(1, h))) * rng.uniform(40, 50, (1, h)),   # BUG: |z0| > 25 everywhere
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.05, "predict": predict}
