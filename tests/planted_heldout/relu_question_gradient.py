"""Planted bug: the question's own output delta, np.mean(y - l2)*2*(y - l2) (held-out suite)."""

import numpy as np

EXPECTED = "question_gradient"
DESCRIPTION = "Copied from the question: l2_delta = np.mean(y - l2)*2*(y - l2), added with `+=` (biases fixed to one row, lr scaled by 1/n), in a relu network fitting two bumps."

N = 500


def forward(w0, b0, w1, b1, x):
    l1 = np.maximum(0, np.dot(x, w0) + b0)
    return l1, np.dot(l1, w1) + b1


def grad_fn(p, x, y):
    w0, b0, w1, b1 = p["W0"], p["b0"], p["W1"], p["b1"]
    l1, l2 = forward(w0, b0, w1, b1, x)
    l2_delta = np.mean(y - l2) * 2 * (y - l2)       # BUG: the question's line
    l1_delta = l2_delta.dot(w1.T) * (l1 > 0)
    # the question adds these: w1 += lr*l1.T.dot(l2_delta) ...; as a descent gradient, minus
    return {"W1": -l1.T.dot(l2_delta), "b1": -l2_delta.sum(axis=0, keepdims=True),
            "W0": -x.T.dot(l1_delta), "b0": -l1_delta.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14021)
    h = 10
    x = rng.normal(size=(N, 1))
    y = 1.5 * np.exp(-3 * (x - 1) ** 2) + np.exp(-3 * (x + 1) ** 2)
    params = {"W0": 2 * rng.random((1, h)) - 1, "b0": np.zeros((1, h)),
              "W1": 2 * rng.random((h, 1)) - 1, "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1 / N,
            "predict": lambda p, x: forward(p["W0"], p["b0"], p["W1"], p["b1"], x)[1]}
