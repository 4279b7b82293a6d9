"""Correct relu network on |x|, written as a loop over layers."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A correct 1-16-1 relu network on |x|, forward and backward written as loops over the two layers."

ACTS = ["relu", "linear"]


def _act(name, z):
    return np.maximum(z, 0.0) if name == "relu" else z


def _slope(name, z):
    return (z > 0).astype(float) if name == "relu" else np.ones_like(z)


def run(params, x):
    Ws = [params["W0"], params["W1"]]
    bs = [params["b0"], params["b1"]]
    a, zs, acts = x, [], [x]
    for W, b, name in zip(Ws, bs, ACTS):
        z = a @ W + b
        a = _act(name, z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def grad(params, x, y):
    zs, acts = run(params, x)
    delta = 2 * (acts[-1] - y) / x.shape[0]
    out = {}
    for layer in (1, 0):
        delta = delta * _slope(ACTS[layer], zs[layer])
        out[f"W{layer}"] = acts[layer].T @ delta
        out[f"b{layer}"] = delta.sum(axis=0, keepdims=True)
        delta = delta @ params[f"W{layer}"].T
    return out


def case():
    rng = np.random.default_rng(3)
    n, h = 600, 16
    x = rng.uniform(-1.5, 1.5, size=(n, 1))
    y = np.abs(x)
    params = {
        "W0": rng.normal(0, 1, size=(1, h)),
        "b0": rng.normal(0, 0.5, size=(1, h)),
        "W1": rng.normal(0, np.sqrt(2 / h), size=(h, 1)),
        "b1": np.zeros((1, 1)),
    }
    return dict(params=params, x=x, y=y, grad_fn=grad, lr=0.05,
                predict=lambda p, x: run(p, x)[1][-1])
