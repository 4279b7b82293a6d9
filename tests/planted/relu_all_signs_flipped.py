"""Planted: gradient ascent: residual written as (y - out), then subtracted."""
import numpy as np

EXPECTED = "all_signs_flipped"
DESCRIPTION = "I computed all gradients from (y - out) and then subtracted them, so every parameter climbs the loss."


def case():
    rng = np.random.default_rng(90)
    n, h = 400, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = x ** 2
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.uniform(-1, 1, (1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.45, "b1": np.zeros((1, 1))}

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0.0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]
        a = np.maximum(z, 0.0)
        e = 2 * (y - (a @ p["W1"] + p["b1"])) / n      # BUG: (y - out), used with -=
        dz = (e @ p["W1"].T) * (z > 0)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True),
                "W1": a.T @ e, "b1": e.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=predict)
