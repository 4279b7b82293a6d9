"""Planted: a trainer object backpropagates from the activations it cached one step earlier."""
import numpy as np

EXPECTED = "stale_gradient"
DESCRIPTION = "My Trainer keeps last epoch's activations and weights in self.cache and computes this epoch's gradient from them, one step behind the weights."


def _exact(p, x, y):
    a = np.tanh(x @ p["W0"] + p["b0"])
    out = a @ p["W1"] + p["b1"]
    g = 2 * (out - y) / len(y)
    gh = g @ p["W1"].T * (1 - a * a)
    return {"W0": x.T @ gh, "b0": gh.sum(0, keepdims=True), "W1": a.T @ g, "b1": g.sum(0, keepdims=True)}


class Trainer:
    def __init__(self):
        self.cache = None

    def gradient(self, p, x, y):
        snapshot = {k: v.copy() for k, v in p.items()}
        used = snapshot if self.cache is None else self.cache     # BUG: last epoch's weights
        self.cache = snapshot
        return _exact(used, x, y)


def case():
    rng = np.random.default_rng(141)
    n, h = 400, 12
    x = rng.uniform(-3, 3, (n, 1))
    y = np.sin(x)
    params = {"W0": rng.normal(size=(1, h)) * 0.7, "b0": rng.normal(size=(1, h)) * 0.5,
              "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}
    return dict(params=params, x=x, y=y, grad_fn=Trainer().gradient, lr=0.2,
                predict=lambda p, x: np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"])
