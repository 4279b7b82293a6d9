"""Planted: tanh network, target a reading in the thousands, not standardized."""
import numpy as np

EXPECTED = "unscaled_target"
DESCRIPTION = "My target is in the thousands (y = 3000 + 1000 sin x) and I left it as it is; my tanh network with lr = 0.05 goes nowhere."

rng = np.random.default_rng(171)
N = 500
x = rng.uniform(-3, 3, (N, 1))
y = 3000.0 + 1000.0 * np.sin(x)
W0 = rng.standard_normal((1, 12)); b0 = np.zeros((1, 12))
W1 = 0.3 * rng.standard_normal((12, 1)); b1 = np.zeros((1, 1))


def step_gradients(W0, b0, W1, b1, x, y):
    hid = np.tanh(x @ W0 + b0)
    out = hid @ W1 + b1
    dout = 2 * (out - y) / len(x)
    dhid = dout @ W1.T * (1 - hid ** 2)
    return x.T @ dhid, dhid.sum(0, keepdims=True), hid.T @ dout, dout.sum(0, keepdims=True)


def case():
    def grad_fn(p, x, y):
        return dict(zip(["W0", "b0", "W1", "b1"], step_gradients(p["W0"], p["b0"], p["W1"], p["b1"], x, y)))
    return dict(params={"W0": W0.copy(), "b0": b0.copy(), "W1": W1.copy(), "b1": b1.copy()},
                x=x.copy(), y=y.copy(), grad_fn=grad_fn, lr=0.05,
                predict=lambda p, x: np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"])
