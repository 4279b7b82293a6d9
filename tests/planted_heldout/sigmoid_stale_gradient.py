"""Planted bug: each gradient is computed from the previous step's parameters (held-out suite)."""

import numpy as np

EXPECTED = "stale_gradient"
DESCRIPTION = "I keep a copy of the weights for the backward pass and refresh it only after computing the gradient, so every step uses the gradient at the previous step's parameters."


def forward(p, x):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    return l1, l1 @ p["W1"] + p["b1"]


def true_gradient(p, x, y):
    l1, l2 = forward(p, x)
    d2 = 2 * (l2 - y) / len(y)
    d1 = d2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}


def make_grad_fn():
    saved = {}

    def grad_fn(p, x, y):
        used = dict(saved) if saved else p              # BUG: the copy from the last call
        g = true_gradient(used, x, y)
        saved.update({k: v.copy() for k, v in p.items()})
        return g

    return grad_fn


def case():
    rng = np.random.default_rng(14030)
    n, h = 500, 10
    x = rng.normal(size=(n, 1))
    y = np.sin(2 * x)
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": make_grad_fn(), "lr": 0.5,
            "predict": lambda p, x: forward(p, x)[1]}
