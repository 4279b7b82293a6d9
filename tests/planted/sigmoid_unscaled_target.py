"""Planted: target in thousands (a price), input standardized, target not."""
import numpy as np

EXPECTED = "unscaled_target"
DESCRIPTION = "I standardized x but not y, which is a price in thousands (y = 2000 + 1500 x^2); with lr = 0.1 the network ends up predicting about the mean."


def case():
    rng = np.random.default_rng(170)
    n, h = 600, 10
    x_raw = rng.uniform(-2, 2, (n, 1))
    x = (x_raw - x_raw.mean()) / x_raw.std()
    y = 2000 + 1500 * x_raw ** 2
    p = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        d2 = 2 * (l2 - y) / n
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: fwd(p, x)[1], x_raw=x_raw)
