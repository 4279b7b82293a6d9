"""Correct but unusual: loss 0.5 * mean squared error, so the gradient has no factor 2."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "I use the 'nicer' loss 1/(2n) * sum (l2 - y)^2, so my output delta is (l2 - y)/n without the 2."


class Net:
    def __init__(self, rng, h):
        self.W0 = rng.normal(size=(1, h))
        self.b0 = rng.normal(size=(1, h)) * 0.1
        self.W1 = rng.normal(size=(h, 1)) * 0.5
        self.b1 = np.zeros((1, 1))


def _fwd(p, x):
    a1 = 1.0 / (1.0 + np.exp(-(x @ p["W0"] + p["b0"])))
    return a1, a1 @ p["W1"] + p["b1"]


def half_mse(p, x, y):
    return float(0.5 * np.mean((_fwd(p, x)[1] - y) ** 2))


def grads(p, x, y):
    a1, out = _fwd(p, x)
    d_out = (out - y) / x.shape[0]
    d_a1 = d_out @ p["W1"].T
    d_z1 = d_a1 * a1 * (1.0 - a1)
    return {"W0": x.T @ d_z1, "b0": np.sum(d_z1, axis=0, keepdims=True),
            "W1": a1.T @ d_out, "b1": np.sum(d_out, axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(8)
    net = Net(rng, 15)
    x = np.sort(rng.uniform(-3, 3, size=(700, 1)), axis=0)
    y = np.cos(x)
    params = {k: getattr(net, k) for k in ("W0", "b0", "W1", "b1")}
    return dict(params=params, x=x, y=y, grad_fn=grads, lr=0.5,
                predict=lambda p, x: _fwd(p, x)[1], loss=half_mse)
