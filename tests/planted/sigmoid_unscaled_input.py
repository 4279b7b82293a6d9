"""Planted: raw input in the thousands (a floor area in square feet), not scaled."""
import numpy as np

EXPECTED = "unscaled_input"
DESCRIPTION = "I feed the raw input, a size between 500 and 3500, straight into a sigmoid layer; every unit is 0 or 1 and the fit stalls."


def case():
    rng = np.random.default_rng(180)
    n, h = 500, 10
    x = rng.uniform(500, 3500, (n, 1))
    y = np.sin(x / 500.0)
    p = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fw(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fw(p, x)
        d2 = 2 * (l2 - y) / n
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=lambda p, x: fw(p, x)[1])
