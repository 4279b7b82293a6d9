"""Planted bug: dW0 is the sum of the hidden deltas, without x (held-out suite)."""

import numpy as np

EXPECTED = "missing_input_in_dW0"
DESCRIPTION = "For the first layer's weights I summed the hidden deltas over the samples, dW0 = dz0.sum(axis=0), forgetting to multiply by the input x."


class ReluNet:
    def __init__(self, params):
        self.p = params

    def hidden(self, x):
        z0 = x @ self.p["W0"] + self.p["b0"]
        return z0, np.maximum(z0, 0.0)

    def __call__(self, x):
        return self.hidden(x)[1] @ self.p["W1"] + self.p["b1"]

    def grads(self, x, y):
        z0, l1 = self.hidden(x)
        dl2 = 2.0 * (l1 @ self.p["W1"] + self.p["b1"] - y) / len(x)
        dz0 = (dl2 @ self.p["W1"].T) * (z0 > 0)
        return {"W0": dz0.sum(axis=0, keepdims=True),   # BUG: should be x.T @ dz0
                "b0": dz0.sum(axis=0, keepdims=True),
                "W1": l1.T @ dl2, "b1": dl2.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14013)
    n, h = 500, 16
    x = rng.normal(size=(n, 1))
    y = 0.5 * np.exp(x) - 0.8
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.normal(0, 0.25, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "lr": 0.05,
            "grad_fn": lambda p, x, y: ReluNet(p).grads(x, y), "predict": lambda p, x: ReluNet(p)(x)}
