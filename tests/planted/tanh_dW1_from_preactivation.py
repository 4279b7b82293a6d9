"""Planted: tanh net, layer loop caches the pre-activations and uses them for the output weights."""
import numpy as np

EXPECTED = "dW1_from_preactivation"
DESCRIPTION = "My layer loop stores z (before tanh) and I used the stored z of the hidden layer for dW1 instead of tanh(z)."


def case():
    rng = np.random.default_rng(71)
    n, h = 300, 7
    x = rng.uniform(-2, 2, (n, 1))
    y = np.abs(x) - 0.5 * x
    P = [[rng.normal(size=(1, h)) * 2, rng.normal(size=(1, h))],
         [rng.normal(size=(h, 1)) * 0.4, np.zeros((1, 1))]]

    def fwd(W0, b0, W1, b1, x):
        zs = [x @ W0 + b0]
        a = np.tanh(zs[0])
        zs.append(a @ W1 + b1)
        return zs, a

    def grad_fn(p, x, y):
        zs, a = fwd(p["W0"], p["b0"], p["W1"], p["b1"], x)
        d2 = 2 * (zs[1] - y) / n
        d1 = (d2 @ p["W1"].T) * (1 - a ** 2)
        return {"W1": zs[0].T @ d2,                  # BUG: zs[0] is the pre-activation
                "b1": d2.sum(0, keepdims=True), "W0": x.T @ d1, "b0": d1.sum(0, keepdims=True)}

    params = {"W0": P[0][0], "b0": P[0][1], "W1": P[1][0], "b1": P[1][1]}
    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1,
                predict=lambda p, x: fwd(p["W0"], p["b0"], p["W1"], p["b1"], x)[0][1])
