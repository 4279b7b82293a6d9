"""Planted: in a CS231n-style tanh net the first affine backward returns the bias gradient for W too."""
import numpy as np

EXPECTED = "missing_input_in_dW0"
DESCRIPTION = "My dW0 is dz0.sum(axis=0): I dropped the x.T @ in front of the hidden delta."


def case():
    rng = np.random.default_rng(60)
    n, h = 900, 18
    x = rng.normal(1.0, 1.0, size=(n, 1))
    y = np.sin(2 * x)
    params = dict(W0=rng.normal(size=(1, h)), b0=rng.normal(size=(1, h)) * 0.5,
                  W1=rng.normal(size=(h, 1)) * 0.3, b1=np.zeros((1, 1)))

    def predict(p, x):
        return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        cache_a = np.tanh(x @ p["W0"] + p["b0"])
        out = cache_a @ p["W1"] + p["b1"]
        dout = 2.0 * (out - y) / n
        dW1 = cache_a.T @ dout
        db1 = dout.sum(axis=0, keepdims=True)
        dz0 = (dout @ p["W1"].T) * (1.0 - cache_a ** 2)
        db0 = dz0.sum(axis=0, keepdims=True)
        dW0 = dz0.sum(axis=0, keepdims=True)           # BUG: x never enters
        return dict(W0=dW0, b0=db0, W1=dW1, b1=db1)

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=predict)
