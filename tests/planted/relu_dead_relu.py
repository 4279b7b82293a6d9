"""Planted: every relu unit dead at the start: b0 = -10 while |x @ W0| < 5."""
import numpy as np

EXPECTED = "dead_relu"
DESCRIPTION = "I initialised the hidden biases to -10 'to keep activations small'; with x in [-2, 2] every relu unit is 0 for every sample, so only b1 ever learns."


def case():
    rng = np.random.default_rng(220)
    n, h = 500, 12
    x = rng.uniform(-2, 2, (n, 1))
    y = np.abs(x)
    p = {"W0": rng.uniform(-2, 2, size=(1, h)), "b0": np.full((1, h), -10.0),
         "W1": rng.normal(size=(h, 1)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]; a = np.maximum(z, 0)
        e = 2 * (a @ p["W1"] + p["b1"] - y) / n
        dz = e @ p["W1"].T * (z > 0)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ e, "b1": e.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=predict)
