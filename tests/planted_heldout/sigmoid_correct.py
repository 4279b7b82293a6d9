"""A correct sigmoid network written as a small class (held-out suite)."""

import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A 1-12-1 sigmoid network written as a class, fitting sin(1.5x) with the mean squared error; nothing is wrong."


class TinyNet:
    """Sigmoid hidden layer, linear output; weights in the question's (in, out) layout."""

    @staticmethod
    def forward(p, x):
        l1 = 1.0 / (1.0 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    @staticmethod
    def predict(p, x):
        return TinyNet.forward(p, x)[1]

    @staticmethod
    def gradient(p, x, y):
        l1, l2 = TinyNet.forward(p, x)
        dl2 = 2.0 * (l2 - y) / len(x)          # d mean((l2 - y)^2) / d l2
        dz0 = (dl2 @ p["W1"].T) * l1 * (1.0 - l1)
        return {"W0": x.T @ dz0, "b0": dz0.sum(axis=0, keepdims=True),
                "W1": l1.T @ dl2, "b1": dl2.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14001)
    n, h = 400, 12
    x = rng.normal(size=(n, 1))
    y = np.sin(1.5 * x)
    params = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
              "W1": rng.normal(size=(h, 1)) / np.sqrt(h), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": TinyNet.gradient, "lr": 0.5,
            "predict": TinyNet.predict}
