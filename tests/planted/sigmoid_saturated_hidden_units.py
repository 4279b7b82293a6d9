"""Planted: huge initial W0 and b0: every sigmoid unit is pinned at 0 or 1 from the start."""
import numpy as np

EXPECTED = "saturated_hidden_units"
DESCRIPTION = "I initialised W0 with np.random.normal(scale=50) and b0 even larger (|b0| > |W0| + 20), so every hidden sigmoid is saturated and its slope is ~0."


def case():
    rng = np.random.default_rng(210)
    n, h = 500, 10
    x = rng.uniform(-1, 1, (n, 1))
    y = np.sin(3 * x)
    W0 = rng.normal(scale=50, size=(1, h))
    b0 = np.sign(rng.normal(size=(1, h))) * (np.abs(W0) + rng.uniform(20, 60, size=(1, h)))
    p = {"W0": W0, "b0": b0,
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        d2 = 2 * (l2 - y) / n
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=lambda p, x: fwd(p, x)[1])
