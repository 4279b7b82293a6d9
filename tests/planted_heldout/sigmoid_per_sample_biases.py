"""Planted bug: one bias row per sample, b0 (n, h) and b1 (n, 1) (held-out suite)."""

import numpy as np

EXPECTED = "per_sample_biases"
DESCRIPTION = "I initialised the biases with one row per training sample, b0 = zeros((n, h)) and b1 = zeros((n, 1)), and update each row with its own sample's delta, so the network memorises and cannot predict new points."


def forward(p, x):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    return l1, l1 @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    l1, l2 = forward(p, x)
    dl2 = 2 * (l2 - y) / len(y)
    dz = dl2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ dz, "b0": dz, "W1": l1.T @ dl2, "b1": dl2}   # the bias gradients keep their (n, .) rows


def case():
    rng = np.random.default_rng(14024)
    n, h = 150, 5
    x = rng.normal(size=(n, 1))
    y = np.sin(2 * x) + 0.3 * rng.normal(size=(n, 1))
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": np.zeros((n, h)),   # BUG: n rows
              "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((n, 1))}  # BUG: n rows
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.5,
            "predict": lambda p, x: forward(p, x)[1]}
