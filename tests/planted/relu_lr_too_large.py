"""Planted: correct relu network with lr = 2."""
import numpy as np

EXPECTED = "lr_too_large"
DESCRIPTION = "Correct relu network on |x| but lr = 2, copied from a sigmoid tutorial; the first steps blow up."


def case():
    rng = np.random.default_rng(152)
    n, h = 600, 16
    x = rng.normal(size=(n, 1))
    y = np.abs(x)
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.5,
         "W1": rng.normal(size=(h, 1)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]
        a = np.maximum(z, 0)
        e = 2 * (a @ p["W1"] + p["b1"] - y) / n
        dz = e @ p["W1"].T * (z > 0)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ e, "b1": e.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=2.0, predict=predict)
