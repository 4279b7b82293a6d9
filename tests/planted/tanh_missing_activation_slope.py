"""Planted: tanh network whose backward pass skips (1 - tanh^2)."""
import numpy as np

EXPECTED = "missing_activation_slope"
DESCRIPTION = "In my tanh network the hidden error is just W1 times the output error; I never multiplied by 1 - a^2."

rng = np.random.default_rng(1234)
x = np.linspace(-3, 3, 500).reshape(-1, 1)
y = np.sin(x) + 0.3 * x
W0 = rng.normal(0, 1.5, (1, 14))
b0 = rng.normal(0, 1.0, (1, 14))
W1 = rng.normal(0, 0.3, (14, 1))
b1 = np.zeros((1, 1))


def forward(W0, b0, W1, b1, x):
    a = np.tanh(x @ W0 + b0)
    return a, a @ W1 + b1


def backward(W0, b0, W1, b1, x, y):
    a, out = forward(W0, b0, W1, b1, x)
    err = (out - y) * 2 / x.shape[0]
    dW1 = a.T @ err
    db1 = err.sum(axis=0, keepdims=True)
    dh = err @ W1.T                      # <- should be * (1 - a**2)
    dW0 = x.T @ dh
    db0 = dh.sum(axis=0, keepdims=True)
    return dW0, db0, dW1, db1


def case():
    def grad_fn(p, x, y):
        return dict(zip(("W0", "b0", "W1", "b1"), backward(p["W0"], p["b0"], p["W1"], p["b1"], x, y)))
    return dict(params=dict(W0=W0.copy(), b0=b0.copy(), W1=W1.copy(), b1=b1.copy()),
                x=x, y=y, grad_fn=grad_fn, lr=0.1,
                predict=lambda p, x: forward(p["W0"], p["b0"], p["W1"], p["b1"], x)[1])
