"""Planted: correct sigmoid network with lr = 1e-6: nothing moves in thousands of epochs."""
import numpy as np

EXPECTED = "lr_too_small"
DESCRIPTION = "Afraid of divergence I set lr = 1e-6 on the mean loss; after 3000 epochs the loss has not moved."


def case():
    rng = np.random.default_rng(160)
    x = rng.normal(size=(500, 1))
    y = x ** 2 - 0.2 * np.cos(3 * np.pi * x)
    p = {"W0": rng.normal(size=(1, 10)), "b0": np.zeros((1, 10)),
         "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fw(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fw(p, x)
        d2 = 2 * (l2 - y) / len(y)
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=1e-6, predict=lambda p, x: fw(p, x)[1])
