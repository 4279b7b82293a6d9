"""Planted: correct gradient, learning rate 30 on a mean loss."""
import numpy as np

EXPECTED = "lr_too_large"
DESCRIPTION = "Everything is right except lr = 30: I thought a bigger step would just train faster."


def case():
    rng = np.random.default_rng(150)
    x = rng.uniform(-2, 2, size=(500, 1))
    y = x ** 2
    params = {"W0": rng.normal(size=(1, 10)), "b0": np.zeros((1, 10)),
              "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        d2 = 2 * (l2 - y) / len(x)
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(axis=0, keepdims=True),
                "W1": l1.T @ d2, "b1": d2.sum(axis=0, keepdims=True)}

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=30.0, predict=lambda p, x: forward(p, x)[1])
