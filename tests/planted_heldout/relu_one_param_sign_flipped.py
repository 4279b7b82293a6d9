"""Planted bug: the output bias's update has the wrong sign (held-out suite)."""

import numpy as np

EXPECTED = "one_param_sign_flipped"
DESCRIPTION = "My loop adds deltas like the question's and I subtract for b1 by mistake (b1 -= lr*l2_delta.sum()), so the output bias alone climbs the loss."

lr = 0.05


def step_deltas(w0, b0, w1, b1, x, y):
    l1 = np.maximum(x @ w0 + b0, 0)
    l2 = l1 @ w1 + b1
    l2_delta = 2 * (y - l2) / len(y)                # downhill direction for the other three
    l1_delta = (l2_delta @ w1.T) * (l1 > 0)
    return {"W0": x.T @ l1_delta, "b0": l1_delta.sum(0, keepdims=True),
            "W1": l1.T @ l2_delta, "b1": -l2_delta.sum(0, keepdims=True)}   # BUG: b1 gets the uphill sign


def grad_fn(p, x, y):
    # the loop does param += lr * delta, so the gradient in the descent convention is -delta
    return {k: -v for k, v in step_deltas(p["W0"], p["b0"], p["W1"], p["b1"], x, y).items()}


def predict(p, x):
    return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]


def case():
    rng = np.random.default_rng(14016)
    n, h = 400, 10
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = np.where(x < -0.5, 2.0, np.where(x < 0.6, 3.0, 2.2))      # a step up and back: mean far from 0
    params = {"W0": rng.normal(0, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.normal(0, 0.3, (h, 1)), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad_fn, "lr": lr, "predict": predict}
