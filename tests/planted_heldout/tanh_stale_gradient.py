"""Planted bug: backward uses the activations cached by the previous forward call (held-out suite)."""

import numpy as np

EXPECTED = "stale_gradient"
DESCRIPTION = "My class caches the activations in forward() and backward() reuses them, but my loop calls backward() before forward() (forward runs afterwards to print the loss), so each gradient belongs to the previous step's weights."


class Network:
    def __init__(self):
        self.cache = None

    def forward(self, p, x):
        a = np.tanh(x @ p["W0"] + p["b0"])
        out = a @ p["W1"] + p["b1"]
        self.cache = (x, a, out, p["W1"].copy())
        return out

    def backward(self, y):
        x, a, out, W1 = self.cache
        d = 2 * (out - y) / len(y)
        dz = d @ W1.T * (1 - a ** 2)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ d, "b1": d.sum(0, keepdims=True)}

    def train_step_gradient(self, p, x, y):
        if self.cache is None:
            self.forward(p, x)
        g = self.backward(y)                          # BUG: the cache is from the previous parameters
        self.forward(p, x)                            # "for the printed loss"
        return g


def case():
    rng = np.random.default_rng(14031)
    n, h = 400, 16
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = np.exp(-2 * x ** 2) * 3 - 1
    net = Network()
    params = {"W0": rng.normal(0, 1.2, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": net.train_step_gradient, "lr": 0.2,
            "predict": lambda p, x: Network().forward(p, x)}
