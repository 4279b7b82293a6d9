"""Planted bug: the hidden delta forgets tanh's slope (held-out suite)."""

import numpy as np

EXPECTED = "missing_activation_slope"
DESCRIPTION = "I backpropagated through the hidden layer with dz0 = dl2 @ W1.T and forgot to multiply by tanh's derivative 1 - l1**2."


def make(params):
    def predict(p, x):
        return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1 = np.tanh(x @ p["W0"] + p["b0"])
        dl2 = 2 * (l1 @ p["W1"] + p["b1"] - y) / len(y)
        dz0 = dl2 @ p["W1"].T                      # BUG: no * (1 - l1**2)
        return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True),
                "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}

    return params, predict, grad_fn


def case():
    rng = np.random.default_rng(14011)
    n, h = 350, 10
    x = rng.normal(size=(n, 1))
    y = np.sin(2 * x)
    params, predict, grad_fn = make({"W0": rng.normal(0, 2, (1, h)), "b0": rng.normal(0, 1.5, (1, h)),
                                     "W1": rng.normal(0, 0.5, (h, 1)), "b1": np.zeros((1, 1))})
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict}
