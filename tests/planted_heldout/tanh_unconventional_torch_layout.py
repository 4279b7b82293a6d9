"""Correct but unconventional: weights in torch's (out, in) layout and 1-D biases (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I store weights the way torch.nn.Linear does, W0 of shape (h, 1) and W1 of shape (1, h), with 1-D biases, and compute x @ W0.T; fitting x*exp(-x^2)."


class Linear:
    """y = a @ W.T + b, W of shape (out, in) and b of shape (out,), as torch.nn.Linear."""

    @staticmethod
    def forward(W, b, a):
        return a @ W.T + b

    @staticmethod
    def backward(W, a, g):
        return g.T @ a, g.sum(axis=0), g @ W     # dW (out, in), db (out,), da


def predict(p, x):
    h = np.tanh(Linear.forward(p["W0"], p["b0"], x))
    return Linear.forward(p["W1"], p["b1"], h)


def grad_fn(p, x, y):
    hid = np.tanh(Linear.forward(p["W0"], p["b0"], x))
    out = Linear.forward(p["W1"], p["b1"], hid)
    g = 2.0 * (out - y) / len(x)
    dW1, db1, dh = Linear.backward(p["W1"], hid, g)
    dW0, db0, _ = Linear.backward(p["W0"], x, dh * (1.0 - hid ** 2))
    return {"W0": dW0, "b0": db0, "W1": dW1, "b1": db1}


def case():
    rng = np.random.default_rng(14008)
    n, h = 500, 10
    x = rng.normal(size=(n, 1))
    y = 2 * x * np.exp(-x ** 2)
    bound = 1.0                                  # torch's default: U(-1/sqrt(in), 1/sqrt(in))
    params = {"W0": rng.uniform(-bound, bound, (h, 1)) * 2, "b0": rng.uniform(-bound, bound, h),
              "W1": rng.uniform(-1, 1, (1, h)) / np.sqrt(h), "b1": rng.uniform(-1, 1, 1) / np.sqrt(h)}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.2, "predict": predict}
