"""Planted: the question's '+=' update with deltas computed from (l2 - y)."""
import numpy as np

EXPECTED = "all_signs_flipped"
DESCRIPTION = "I used l2_delta = 2*(l2 - y)/n but kept the question's w += lr * ..., so every step goes uphill."


def case():
    rng = np.random.default_rng(91)
    x = rng.normal(size=(600, 1))
    y = np.sin(3 * x)
    W0 = rng.normal(size=(1, 12)); b0 = np.zeros((1, 12))
    W1 = rng.normal(size=(12, 1)) * 0.3; b1 = np.zeros((1, 1))

    def fw(p, x):
        l1 = 1 / (1 + np.exp(-(x.dot(p["W0"]) + p["b0"])))
        return l1, l1.dot(p["W1"]) + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fw(p, x)
        l2_delta = 2 * (l2 - y) / len(y)
        l1_delta = l2_delta.dot(p["W1"].T) * l1 * (1 - l1)
        added = {"W1": l1.T.dot(l2_delta), "W0": x.T.dot(l1_delta),
                 "b1": l2_delta.sum(0, keepdims=True), "b0": l1_delta.sum(0, keepdims=True)}
        return {k: -v for k, v in added.items()}          # I ADD these: the adapter negates

    return dict(params=dict(W0=W0, b0=b0, W1=W1, b1=b1), x=x, y=y, grad_fn=grad_fn, lr=0.5,
                predict=lambda p, x: fw(p, x)[1])
