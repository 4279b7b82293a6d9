"""Correct but unconventional: half the mean squared error, gradient without the factor 2 (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I minimise half the mean squared error, 0.5*mean((l2 - y)^2), so my output delta is (l2 - y)/n without the 2; fitting sin(x) + 0.3x."


def relu(z):
    return np.maximum(z, 0)


def predict(params, x):
    return relu(x @ params["W0"] + params["b0"]) @ params["W1"] + params["b1"]


def half_mse(params, x, y):
    return 0.5 * float(np.mean((predict(params, x) - y) ** 2))


def grad_fn(params, x, y):
    z = x @ params["W0"] + params["b0"]
    a = relu(z)
    delta_out = (a @ params["W1"] + params["b1"] - y) / len(x)
    delta_hidden = (delta_out @ params["W1"].T) * (z > 0)
    return {"W0": x.T @ delta_hidden, "b0": delta_hidden.sum(axis=0, keepdims=True),
            "W1": a.T @ delta_out, "b1": delta_out.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14006)
    n, h = 1000, 20
    x = rng.uniform(-3, 3, (n, 1))
    x = (x - x.mean()) / x.std()
    y = np.sin(1.7 * x) + 0.3 * x
    params = {"W0": rng.normal(0, 1.4, (1, h)), "b0": rng.uniform(-1.5, 1.5, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.2,
            "predict": predict, "loss": half_mse}
