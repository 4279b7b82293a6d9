"""Planted: summed loss, weight gradients summed, bias gradients averaged with np.mean."""
import numpy as np

EXPECTED = "bias_grad_averaged"
DESCRIPTION = "I train the summed squared loss; my weight gradients are sums over samples but I wrote the bias gradients with np.mean, so they are n times too small."


def case():
    rng = np.random.default_rng(100)
    n, h = 1000, 10
    x_pre = 2 * rng.normal(size=(n, 1))
    x = (x_pre - x_pre.mean()) / x_pre.std()
    y = x_pre ** 2 / 4 + 0.5                       # offset: the biases have work to do

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def sq_sum(p, x, y):
        r = y - fwd(p, x)[1]
        return float(np.sum(r ** 2))

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        d2 = 2 * (l2 - y)
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W1": l1.T @ d2, "W0": x.T @ d1,
                "b1": np.mean(d2, axis=0, keepdims=True),     # BUG: mean, the loss is a sum
                "b0": np.mean(d1, axis=0, keepdims=True)}     # BUG

    params = {"W0": rng.normal(size=(1, h)), "b0": np.zeros((1, h)),
              "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}
    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=1e-4,
                predict=lambda p, x: fwd(p, x)[1], loss=sq_sum, x_raw=x_pre)
