"""Planted: huge initial W0 and b0: every sigmoid unit is pinned at 0 or 1 from the start."""
import numpy as np

EXPECTED = "saturated_hidden_units"
DESCRIPTION = "I initialised W0 with np.random.normal(scale=50) and b0 even larger (|b0| > |W0| + 20), so every hidden sigmoid is saturated and its slope is ~0."

SPEC = [("W0", "b0", "sigmoid"), ("W1", "b1", "identity")]


def apply(kind, z):
    return 1 / (1 + np.exp(-z)) if kind == "sigmoid" else z


def derivative(kind, a):
    return a * (1 - a) if kind == "sigmoid" else np.ones_like(a)


def forward(p, x):
    outs = [x]
    for w, b, kind in SPEC:
        outs.append(apply(kind, outs[-1] @ p[w] + p[b]))
    return outs


def grad_fn(p, x, y):
    outs = forward(p, x)
    delta = 2 * (outs[-1] - y) / len(x)
    grads = {}
    for i in (1, 0):
        w, b, kind = SPEC[i]
        delta = delta * derivative(kind, outs[i + 1])
        grads[w] = outs[i].T @ delta
        grads[b] = delta.sum(axis=0, keepdims=True)
        delta = delta @ p[w].T
    return grads


def case():
    rng = np.random.default_rng(210)
    n, h = 500, 10
    x = rng.uniform(-1, 1, (n, 1))
    y = np.sin(3 * x)
    W0 = rng.normal(scale=50, size=(1, h))                                            # BUG
    b0 = np.sign(rng.normal(size=(1, h))) * (np.abs(W0) + rng.uniform(20, 60, size=(1, h)))  # BUG
    p = {"W0": W0, "b0": b0, "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}
    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.05, predict=lambda p, x: forward(p, x)[-1])
