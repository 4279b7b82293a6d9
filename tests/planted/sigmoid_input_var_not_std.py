"""Planted: the question's standard() divides by np.var; the raw input has std 0.1, so x gets std 10."""
import numpy as np

EXPECTED = "input_var_not_std"
DESCRIPTION = "My standard() returns (data - mean) / np.var(data); my raw input has std 0.1, so the 'standardized' x has std 10 and the sigmoid units saturate."


def standard(data):
    mu = np.mean(data)
    std = np.var(data)               # BUG: variance, not standard deviation
    return (data - mu) / std


def case():
    rng = np.random.default_rng(190)
    x_pre = 0.1 * rng.normal(size=(800, 1))
    y = np.sin(20 * x_pre)
    x = standard(x_pre)
    p = {"W0": rng.normal(size=(1, 10)), "b0": np.zeros((1, 10)),
         "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def fwd(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        d2 = 2 * (l2 - y) / len(y)
        d1 = d2 @ p["W1"].T * l1 * (1 - l1)
        return {"W0": x.T @ d1, "b0": d1.sum(0, keepdims=True), "W1": l1.T @ d2, "b1": d2.sum(0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=lambda p, x: fwd(p, x)[1], x_raw=x_pre)
