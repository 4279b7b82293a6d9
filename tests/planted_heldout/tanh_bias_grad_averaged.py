"""Planted bug: the reverse mix-up, weights averaged and biases summed (held-out suite)."""

import numpy as np

EXPECTED = "bias_grad_averaged"
DESCRIPTION = "My weight gradients are averaged (x.T @ dz / n) but my bias gradients are plain sums over the samples with no 1/n, so the biases take n-times-too-big steps."


def forward(p, x):
    a = np.tanh(x @ p["W0"] + p["b0"])
    return a, a @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    n = len(x)
    a, out = forward(p, x)
    e = 2 * (out - y)                                # per-sample error signal, not yet averaged
    dz = e @ p["W1"].T * (1 - a ** 2)
    return {"W0": x.T @ dz / n, "W1": a.T @ e / n,
            "b0": dz.sum(0, keepdims=True),          # BUG: summed, the weights are averaged
            "b1": e.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14019)
    n, h = 200, 5
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = np.exp(x) / 3 - 0.6
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": np.zeros((1, h)),
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1,
            "predict": lambda p, x: forward(p, x)[1]}
