"""A correct relu network written as a list of layer objects (held-out suite)."""

import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A 1-24-1 relu network as a list of layers (Dense, ReLU, Dense) with a CS231n-style cache, fitting two Gaussian bumps with the mean squared error; nothing is wrong."


class Dense:
    def __init__(self, w, b):
        self.w, self.b = w, b

    def forward(self, a):
        self.cache = a
        return a @ self.w + self.b

    def backward(self, g):
        a = self.cache
        self.dw, self.db = a.T @ g, g.sum(axis=0, keepdims=True)
        return g @ self.w.T


class ReLU:
    def forward(self, a):
        self.cache = a > 0
        return np.where(self.cache, a, 0.0)

    def backward(self, g):
        return g * self.cache


def build(params):
    return [Dense(params["W0"], params["b0"]), ReLU(), Dense(params["W1"], params["b1"])]


def predict(params, x):
    out = x
    for layer in build(params):
        out = layer.forward(out)
    return out


def grad_fn(params, x, y):
    layers = build(params)
    out = x
    for layer in layers:
        out = layer.forward(out)
    g = 2.0 * (out - y) / len(y)
    for layer in reversed(layers):
        g = layer.backward(g)
    return {"W0": layers[0].dw, "b0": layers[0].db, "W1": layers[2].dw, "b1": layers[2].db}


def case():
    rng = np.random.default_rng(14003)
    n, h = 600, 24
    x = rng.uniform(-1.7, 1.7, size=(n, 1))
    y = np.exp(-6 * (x - 0.8) ** 2) + 0.8 * np.exp(-6 * (x + 0.8) ** 2)
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.uniform(-1.5, 1.5, (1, h)),
              "W1": rng.normal(0, 0.1, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.03, "predict": predict}
