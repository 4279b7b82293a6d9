"""Planted bug: a correct gradient with a learning rate far past the stability limit (held-out suite)."""

import numpy as np

EXPECTED = "lr_too_large"
DESCRIPTION = "My gradient is right but I chose lr = 8, far above 2/lambda_max of this loss; the loss blows up instead of falling."


def predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    a = np.tanh(x @ p["W0"] + p["b0"])
    d = 2 * (a @ p["W1"] + p["b1"] - y) / len(y)
    dz = d @ p["W1"].T * (1 - a ** 2)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ d, "b1": d.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14028)
    n, h = 500, 20
    x = rng.normal(size=(n, 1))
    y = np.sin(1.5 * x) + 0.5 * x
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 1 / np.sqrt(h), (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 8.0, "predict": predict}
