"""Planted: the question's biases, one row per sample: b0 (n, h), b1 (n, 1)."""
import numpy as np

EXPECTED = "per_sample_biases"
DESCRIPTION = "Like the question I made b0 = np.random.normal(size=(1000, 10)) and b1 of shape (1000, 1); broadcasting never complained, and each sample gets its own bias."


def case():
    rng = np.random.default_rng(200)
    n, ndim = 1000, 10
    x_pre = 2 * rng.normal(size=(n, 1))
    y = x_pre ** 2 - 0.2 * np.cos(3 * np.pi * x_pre)
    y = (y - y.mean()) / y.std()
    x = (x_pre - x_pre.mean()) / x_pre.std()
    w0 = 2 * rng.random((1, ndim)) - 1
    w1 = 2 * rng.random((ndim, 1)) - 1
    b0 = rng.normal(size=(n, ndim))                    # BUG: one bias row per sample
    b1 = rng.normal(size=(n, 1))                       # BUG

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
        return l1, np.dot(l1, p["W1"]) + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        l2_delta = 2 * (y - l2) / len(y)
        l1_delta = l2_delta.dot(p["W1"].T) * (l1 * (1 - l1))
        # my loop: w1 += lr*l1.T.dot(l2_delta); w0 += lr*x.T.dot(l1_delta); b0 += lr*l1_delta; b1 += lr*l2_delta
        return {"W1": -l1.T.dot(l2_delta), "W0": -x.T.dot(l1_delta), "b0": -l1_delta, "b1": -l2_delta}

    return dict(params={"W0": w0, "b0": b0, "W1": w1, "b1": b1}, x=x, y=y, grad_fn=grad_fn,
                lr=0.2, predict=lambda p, x: forward(p, x)[1], x_raw=x_pre)
