"""Planted: relu network, np.sum gradients with the lr of a mean loss."""
import numpy as np

EXPECTED = "gradient_too_large_summed"
DESCRIPTION = "My relu net's gradients are np.sum over the batch of the per-sample gradients, but I use lr = 0.05 as for the mean loss."


def case():
    rng = np.random.default_rng(111)
    n, h = 300, 8
    x = rng.uniform(-1.5, 1.5, (n, 1))
    y = np.abs(x) * 2 - 1
    W0 = rng.normal(size=(1, h)); b0 = rng.uniform(-1, 1, size=(1, h))
    W1 = rng.normal(size=(h, 1)) * 0.5; b1 = np.zeros((1, 1))

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]; a = np.maximum(z, 0)
        per_sample = 2 * (a @ p["W1"] + p["b1"] - y)          # BUG: summed below without 1/n
        dz = per_sample @ p["W1"].T * (z > 0)
        return {"W0": np.sum(x * dz, axis=0, keepdims=True), "b0": np.sum(dz, axis=0, keepdims=True),
                "W1": np.sum(a * per_sample, axis=0).reshape(h, 1), "b1": np.sum(per_sample).reshape(1, 1)}

    return dict(params={"W0": W0, "b0": b0, "W1": W1, "b1": b1}, x=x, y=y,
                grad_fn=grad_fn, lr=0.05, predict=predict)
