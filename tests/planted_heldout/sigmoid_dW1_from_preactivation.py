"""Planted bug: dW1 uses the hidden pre-activation instead of the activation (held-out suite)."""

import numpy as np

EXPECTED = "dW1_from_preactivation"
DESCRIPTION = "I computed the output weights' gradient from the hidden layer's input z0 = x @ W0 + b0 instead of its output l1 = sigmoid(z0): dW1 = z0.T @ dl2."


class Model:
    def __init__(self, W0, b0, W1, b1):
        self.W0, self.b0, self.W1, self.b1 = W0, b0, W1, b1

    def forward(self, x):
        self.x = x
        self.z0 = x @ self.W0 + self.b0
        self.l1 = 1 / (1 + np.exp(-self.z0))
        self.l2 = self.l1 @ self.W1 + self.b1
        return self.l2

    def backward(self, y):
        dl2 = 2 * (self.l2 - y) / len(y)
        dz0 = dl2 @ self.W1.T * self.l1 * (1 - self.l1)
        return {"W0": self.x.T @ dz0, "b0": dz0.sum(0, keepdims=True),
                "W1": self.z0.T @ dl2,                  # BUG: should be self.l1.T @ dl2
                "b1": dl2.sum(0, keepdims=True)}


def grad_fn(p, x, y):
    m = Model(p["W0"], p["b0"], p["W1"], p["b1"])
    m.forward(x)
    return m.backward(y)


def predict(p, x):
    return Model(p["W0"], p["b0"], p["W1"], p["b1"]).forward(x)


def case():
    rng = np.random.default_rng(14014)
    n, h = 450, 9
    x = rng.uniform(-2, 2, (n, 1))
    y = np.sin(1.3 * x) + 0.5
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 1 / 3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.3, "predict": predict}
