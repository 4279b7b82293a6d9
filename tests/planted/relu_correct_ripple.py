"""Correct 1-20-1 relu network on a ripple, 1000 samples, He initialisation."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A correct 1-20-1 relu network on a ripple sin(2x) + 0.5x with mean squared error."


def case():
    rng = np.random.default_rng(99)
    n, h = 1000, 20
    x = rng.uniform(-3, 3, (n, 1))
    y = np.sin(2 * x) + 0.5 * x
    params = dict(W0=rng.normal(size=(1, h)) * np.sqrt(2.0),
                  b0=rng.uniform(-3, 3, size=(1, h)),
                  W1=rng.normal(size=(h, 1)) * np.sqrt(2.0 / h),
                  b1=np.zeros((1, 1)))

    def predict(p, x):
        hidden = np.maximum(0, x @ p["W0"] + p["b0"])
        return hidden @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        pre = x @ p["W0"] + p["b0"]
        hidden = np.maximum(0, pre)
        out = hidden @ p["W1"] + p["b1"]
        d_out = (out - y) * (2.0 / len(x))
        d_pre = (d_out @ p["W1"].T) * (pre > 0)
        return dict(W0=x.T @ d_pre, b0=d_pre.sum(0, keepdims=True),
                    W1=hidden.T @ d_out, b1=d_out.sum(0, keepdims=True))

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.02, predict=predict)
