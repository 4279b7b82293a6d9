"""Correct but unconventional: the exact gradient of a summed loss, with lr divided by n (held-out suite)."""

import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I train the summed squared error sum((l2 - y)^2) with its exact gradient and divide my learning rate by n, so each step equals an MSE step; fitting exp(x)."

N = 500


def forward(p, x):
    l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
    return l1, np.dot(l1, p["W1"]) + p["b1"]


def predict(p, x):
    return forward(p, x)[1]


def summed_loss(p, x, y):
    return float(np.sum((predict(p, x) - y) ** 2))


def grad_fn(p, x, y):
    l1, l2 = forward(p, x)
    l2_delta = 2 * (l2 - y)                      # exact gradient of the SUM, no 1/n
    l1_delta = np.dot(l2_delta, p["W1"].T) * l1 * (1 - l1)
    return {"W0": np.dot(x.T, l1_delta), "b0": l1_delta.sum(axis=0, keepdims=True),
            "W1": np.dot(l1.T, l2_delta), "b1": l2_delta.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(14004)
    h = 10
    x = rng.uniform(-1.5, 1.5, (N, 1))
    y = np.exp(x) - np.exp(x).mean()
    params = {"W0": 2 * rng.random((1, h)) - 1, "b0": np.zeros((1, h)),
              "W1": 2 * rng.random((h, 1)) - 1, "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.5 / N,
            "predict": predict, "loss": summed_loss}
