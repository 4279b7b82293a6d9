"""Planted: relu network on a raw year-like input around 2000."""
import numpy as np

EXPECTED = "unscaled_input"
DESCRIPTION = "My input is a year, 1950 to 2050, fed raw into a relu layer with lr = 0.01; the first step throws the weights away."


def case():
    rng = np.random.default_rng(181)
    n, h = 300, 8
    year = rng.uniform(1950, 2050, (n, 1))
    y = ((year - 2000) / 30.0) ** 2
    p = {"W0": rng.normal(size=(1, h)) * 0.01, "b0": np.zeros((1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.5, "b1": np.zeros((1, 1))}

    def predict(p, x):
        return np.maximum(x @ p["W0"] + p["b0"], 0) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]; a = np.maximum(z, 0)
        e = 2 * (a @ p["W1"] + p["b1"] - y) / n
        dz = e @ p["W1"].T * (z > 0)
        return {"W0": x.T @ dz, "b0": dz.sum(0, keepdims=True), "W1": a.T @ e, "b1": e.sum(0, keepdims=True)}

    return dict(params=p, x=year, y=y, grad_fn=grad_fn, lr=0.01, predict=predict)
