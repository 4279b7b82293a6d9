"""Planted bug: the weights' gradients are summed over samples, the biases' averaged (held-out suite)."""

import numpy as np

EXPECTED = "bias_grad_averaged"
DESCRIPTION = "My weight gradients sum over the samples (loss = sum of squared errors, lr small to match) but I averaged the bias gradients with np.mean(axis=0), so the biases barely move."

N = 800


def predict(p, x):
    return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]


def sse(p, x, y):
    return float(np.sum((predict(p, x) - y) ** 2))


def grad_fn(p, x, y):
    z = x @ p["W0"] + p["b0"]
    a = np.maximum(z, 0)
    g2 = 2 * (a @ p["W1"] + p["b1"] - y)            # summed loss: no 1/n
    g1 = g2 @ p["W1"].T * (z > 0)
    return {"W0": x.T @ g1, "W1": a.T @ g2,
            "b0": g1.mean(axis=0, keepdims=True),   # BUG: mean, while the weights use a sum
            "b1": g2.mean(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14018)
    h = 14
    x = rng.normal(size=(N, 1))
    y = np.abs(x) + 2.0                              # needs a bias far from 0
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.02 / N,
            "predict": predict, "loss": sse}
