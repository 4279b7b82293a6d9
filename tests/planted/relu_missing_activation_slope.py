"""Planted: relu network that forgets the relu mask (z > 0) in the backward pass."""
import numpy as np

EXPECTED = "missing_activation_slope"
DESCRIPTION = "My relu backward pass passes the error through every hidden unit: I forgot to zero it where z <= 0."


def case():
    rng = np.random.default_rng(17)
    n, h = 700, 12
    x = rng.normal(size=(n, 1))
    y = np.abs(x) + 0.1 * x
    P = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
         "W1": rng.normal(size=(h, 1)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}
    layers = [("W0", "b0", True), ("W1", "b1", False)]

    def forward(P, x):
        acts = [x]
        for W, b, relu in layers:
            z = acts[-1] @ P[W] + P[b]
            acts.append(np.maximum(z, 0) if relu else z)
        return acts

    def grad_fn(P, x, y):
        acts = forward(P, x)
        delta = 2 * (acts[-1] - y) / len(y)
        g = {}
        for i in reversed(range(2)):
            W, b, _ = layers[i]
            g[W] = acts[i].T @ delta
            g[b] = delta.sum(axis=0, keepdims=True)
            delta = delta @ P[W].T          # BUG: never multiplied by (z > 0) of the layer below
        return g

    return dict(params=P, x=x, y=y, grad_fn=grad_fn, lr=0.02,
                predict=lambda P, x: forward(P, x)[-1])
