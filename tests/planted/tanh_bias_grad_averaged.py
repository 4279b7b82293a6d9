"""Planted: the reverse mix: weights averaged (mean loss), biases summed with an extra 1/n missing."""
import numpy as np

EXPECTED = "bias_grad_averaged"
DESCRIPTION = "My weights use the mean-loss gradient (divided by n) but my bias gradients are summed over samples without the 1/n, n times too large."


def case():
    rng = np.random.default_rng(101)
    n, h = 250, 6
    x = rng.uniform(-2, 2, (n, 1))
    y = np.tanh(2 * x) + 0.1 * x ** 2

    def out(p, x):
        a = np.tanh(x @ p["W0"] + p["b0"])
        return a, a @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a, o = out(p, x)
        r = o - y                                      # per-sample residual
        dh = (r @ p["W1"].T) * (1 - a ** 2)
        return {"W1": 2 * a.T @ r / n, "W0": 2 * x.T @ dh / n,
                "b1": 2 * r.sum(axis=0, keepdims=True),      # BUG: no / n
                "b0": 2 * dh.sum(axis=0, keepdims=True)}     # BUG: no / n

    params = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)) * 0.2,
              "W1": rng.normal(size=(h, 1)) * 0.5, "b1": np.zeros((1, 1))}
    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: out(p, x)[1])
