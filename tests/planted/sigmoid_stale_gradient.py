"""Planted: every step uses the gradient of the previous step's parameters."""
import numpy as np

EXPECTED = "stale_gradient"
DESCRIPTION = "My loop runs the forward pass for printing before the update and backpropagates from that cache next epoch, so each step uses the gradient at the previous step's weights."

LR = 0.5


def _exact(p, x, y):
    l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
    l2 = l1 @ p["W1"] + p["b1"]
    d2 = 2 * (l2 - y) / len(y)
    d1 = d2 @ p["W1"].T * l1 * (1 - l1)
    return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True),
            "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}


def case():
    rng = np.random.default_rng(140)
    n, h = 500, 10
    x = rng.uniform(-1.7, 1.7, (n, 1))
    y = x ** 2
    params = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
              "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}
    cache = {}

    def grad_fn(p, x, y):
        # BUG: the gradient comes from the cache of the previous epoch's parameters
        previous = cache.get("params", {k: v.copy() for k, v in p.items()})
        cache["params"] = {k: v.copy() for k, v in p.items()}
        return _exact(previous, x, y)

    def predict(p, x):
        return 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"]))) @ p["W1"] + p["b1"]

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=LR, predict=predict)
