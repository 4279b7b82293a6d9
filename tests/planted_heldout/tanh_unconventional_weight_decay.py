"""Correct but unconventional: MSE plus weight decay, with the matching gradient and `loss` (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I train the mean squared error plus 1e-3 times the squared weights (L2 weight decay, biases not decayed) with its exact gradient; fitting a noisy step."

DECAY = 1e-3


def predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def loss(p, x, y):
    mse = np.mean((predict(p, x) - y) ** 2)
    return float(mse + DECAY * (np.sum(p["W0"] ** 2) + np.sum(p["W1"] ** 2)))


def grad_fn(p, x, y):
    a = np.tanh(x @ p["W0"] + p["b0"])
    r = a @ p["W1"] + p["b1"] - y
    d_out = 2 * r / len(r)
    d_pre = d_out @ p["W1"].T * (1 - a * a)
    return {"W0": x.T @ d_pre + 2 * DECAY * p["W0"], "b0": d_pre.sum(0, keepdims=True),
            "W1": a.T @ d_out + 2 * DECAY * p["W1"], "b1": d_out.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14005)
    n, h = 800, 16
    x = rng.normal(size=(n, 1))
    y = np.where(x > 0.3, 1.0, -1.0) + 0.1 * rng.normal(size=(n, 1))
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 1 / np.sqrt(h), (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1,
            "predict": predict, "loss": loss}
