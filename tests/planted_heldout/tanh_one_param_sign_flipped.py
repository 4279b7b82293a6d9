"""Planted bug: the first layer's weight gradient has the wrong sign (held-out suite)."""

import numpy as np

EXPECTED = "one_param_sign_flipped"
DESCRIPTION = "For the first layer's weights I used the error y - l2 instead of l2 - y, so dW0 alone has the wrong sign; the other three gradients are right."


def predict(p, x):
    return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]


def grad_fn(p, x, y):
    a = np.tanh(x @ p["W0"] + p["b0"])
    r = a @ p["W1"] + p["b1"] - y
    d2 = 2 * r / len(r)
    d1 = (d2 @ p["W1"].T) * (1 - a ** 2)
    d1_wrong_way = (-2 * r / len(r)) @ p["W1"].T * (1 - a ** 2)   # BUG: y - l2 instead of l2 - y, used for W0 only
    return {"W0": x.T @ d1_wrong_way, "b0": d1.sum(0, keepdims=True),
            "W1": a.T @ d2, "b1": d2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(14015)
    n, h = 600, 12
    x = rng.normal(size=(n, 1))
    y = np.sin(2.2 * x) * np.exp(-0.2 * x ** 2)
    params = {"W0": rng.normal(0, 1.5, (1, h)), "b0": rng.normal(0, 1, (1, h)),
              "W1": rng.normal(0, 0.4, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": 0.1, "predict": predict}
