"""Planted: correct relu network with lr = 1e-7."""
import numpy as np

EXPECTED = "lr_too_small"
DESCRIPTION = "My relu network is correct but lr = 1e-7, so the loss creeps and stays near its starting value."


def case():
    rng = np.random.default_rng(161)
    n, h = 400, 10
    x = np.linspace(-2, 2, n)[:, None]
    y = np.abs(x) - np.sin(2 * x)
    W0 = rng.normal(size=(1, h)); b0 = rng.uniform(-1, 1, (1, h))
    W1 = rng.normal(size=(h, 1)) * 0.45; b1 = np.zeros((1, 1))

    def predict(p, x):
        return np.maximum(0, x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        pre = x @ p["W0"] + p["b0"]
        act = np.maximum(0, pre)
        err = 2 * (act @ p["W1"] + p["b1"] - y) / n
        back = err @ p["W1"].T * (pre > 0)
        return dict(W0=x.T @ back, b0=back.sum(0, keepdims=True), W1=act.T @ err, b1=err.sum(0, keepdims=True))

    return dict(params=dict(W0=W0, b0=b0, W1=W1, b1=b1), x=x, y=y, grad_fn=grad_fn, lr=1e-7, predict=predict)
