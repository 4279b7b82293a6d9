"""Planted: dW1 built from l1.reshape(h, n) where l1.T was meant."""
import numpy as np

EXPECTED = "transposed_gradient"
DESCRIPTION = "For dW1 I 'transposed' the hidden activations with l1.reshape(h, n) instead of l1.T, so dW1 mixes samples and units."


def case():
    rng = np.random.default_rng(131)
    n, h = 320, 8
    x = rng.uniform(-2, 2, (n, 1))
    y = np.sin(1.5 * x)
    W0 = rng.normal(size=(1, h)); b0 = rng.normal(size=(1, h)) * 0.5
    W1 = rng.normal(size=(h, 1)) * 0.4; b1 = np.zeros((1, 1))

    def forward(p, x):
        l1 = np.tanh(x @ p["W0"] + p["b0"])
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        d2 = (l2 - y) * (2.0 / n)
        d1 = d2 @ p["W1"].T * (1 - l1 ** 2)
        return {"W1": l1.reshape(h, n) @ d2,                  # BUG: reshape is not .T
                "b1": d2.sum(axis=0, keepdims=True), "W0": x.T @ d1, "b0": d1.sum(axis=0, keepdims=True)}

    return dict(params={"W0": W0, "b0": b0, "W1": W1, "b1": b1}, x=x, y=y, grad_fn=grad_fn,
                lr=0.1, predict=lambda p, x: forward(p, x)[1])
