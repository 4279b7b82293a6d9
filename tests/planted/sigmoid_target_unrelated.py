"""Planted: x shuffled independently of y (I shuffled x and y with two different permutations)."""
import numpy as np

EXPECTED = "target_unrelated"
DESCRIPTION = "I shuffled x and y separately (two different permutations), so each x is paired with a random sample's y."


def case():
    rng = np.random.default_rng(231)
    n, h = 800, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = x ** 2
    x = x[rng.permutation(n)]                             # BUG: x and y shuffled separately
    y = y[rng.permutation(n)]
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

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=lambda p, x: fwd(p, x)[1])
