"""Planted bug: a summed-loss gradient with a learning rate meant for the mean (held-out suite)."""

import numpy as np

EXPECTED = "gradient_too_large_summed"
DESCRIPTION = "I think I train the mean squared error with lr = 0.1, but my gradient sums over the samples (dl2 = 2*(l2 - y), no /n), so every step is n = 300 times too big."


def net(p, x):
    hid = np.tanh(x @ p["W0"] + p["b0"])
    return hid, hid @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    hid, out = net(p, x)
    dl2 = 2 * (out - y)                              # BUG: the mean's gradient needs / len(y)
    dz = dl2 @ p["W1"].T * (1 - hid ** 2)
    return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": hid.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14020)
    n, h = 300, 10
    x = rng.normal(size=(n, 1))
    y = np.abs(x) - 0.8
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1,
            "predict": lambda p, x: net(p, x)[1]}
