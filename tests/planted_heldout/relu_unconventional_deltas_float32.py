"""Correct but unconventional: the question's `+=` deltas, done right, in float32 (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My code adds deltas like the question's (w1 += lr*l1.T.dot(l2_delta) with l2_delta = 2*(y - l2)/n), which is a correct descent step, and every array is float32; fitting a staircase."

F = np.float32


def forward(w0, b0, w1, b1, x):
    l1 = np.maximum(np.dot(x, w0) + b0, F(0))
    return l1, np.dot(l1, w1) + b1


def deltas(w0, b0, w1, b1, x, y):
    """The increments my training loop adds: w += lr * delta_w."""
    l1, l2 = forward(w0, b0, w1, b1, x)
    l2_delta = F(2) * (y - l2) / F(len(y))
    l1_delta = l2_delta.dot(w1.T) * (l1 > 0)
    return l1.T.dot(l2_delta), l2_delta.sum(axis=0, keepdims=True), x.T.dot(l1_delta), l1_delta.sum(axis=0, keepdims=True)


def grad_fn(p, x, y):
    # my loop does `param += lr * delta`, so the descent gradient is minus my delta
    dw1, db1, dw0, db0 = deltas(p["W0"], p["b0"], p["W1"], p["b1"], x, y)
    return {"W0": -dw0, "b0": -db0, "W1": -dw1, "b1": -db1}


def predict(p, x):
    return forward(p["W0"], p["b0"], p["W1"], p["b1"], x)[1]


def case():
    rng = np.random.default_rng(14009)
    n, h = 700, 16
    x = rng.uniform(-1.7, 1.7, (n, 1)).astype(F)
    y = (np.floor(x + 1.7) - 1.5).astype(F) * F(0.8)
    params = {"W0": rng.normal(0, 1.5, (1, h)).astype(F), "b0": rng.uniform(-1.5, 1.5, (1, h)).astype(F),
              "W1": rng.normal(0, 0.35, (h, 1)).astype(F), "b1": np.zeros((1, 1), F)}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict}
