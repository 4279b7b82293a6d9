"""Planted bug: the question's output delta in the averaged form (held-out suite)."""

import numpy as np

EXPECTED = "question_gradient"
DESCRIPTION = "My output delta is the question's line divided by n, l2_delta = np.mean(y - l2)*2*(y - l2)/n, so each step is scaled (and its sign set) by the mean residual."


class Net:
    def __init__(self, p):
        self.p = p

    def run(self, x):
        self.l1 = 1.0 / (1.0 + np.exp(-(x @ self.p["W0"] + self.p["b0"])))
        self.l2 = self.l1 @ self.p["W1"] + self.p["b1"]
        return self.l2

    def gradient(self, x, y):
        self.run(x)
        l2_delta = np.mean(y - self.l2) * 2 * (y - self.l2) / len(y)   # BUG: the question's np.mean(y - l2) factor
        l1_delta = (l2_delta @ self.p["W1"].T) * self.l1 * (1 - self.l1)
        return {"W0": -(x.T @ l1_delta), "b0": -l1_delta.sum(0, keepdims=True),
                "W1": -(self.l1.T @ l2_delta), "b1": -l2_delta.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14022)
    n, h = 1000, 10
    x_pre = 2 * rng.normal(size=(n, 1))
    x = (x_pre - x_pre.mean()) / x_pre.std()
    y = x ** 2 - 0.2 * np.cos(3 * np.pi * x / 2)
    params = {"W0": 2 * rng.random((1, h)) - 1, "b0": np.zeros((1, h)),
              "W1": 2 * rng.random((h, 1)) - 1, "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "lr": 0.5,
            "grad_fn": lambda p, x, y: Net(p).gradient(x, y), "predict": lambda p, x: Net(p).run(x)}
