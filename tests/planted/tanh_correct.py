"""Correct tanh network on a sine, written with separate arrays (the adapter wraps them)."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A correct 1-12-1 tanh network fitting sin(x) with mean squared error, separate weight arrays."

rng = np.random.default_rng(11)
N, H = 400, 12
x = np.linspace(-3, 3, N).reshape(N, 1)
y = np.sin(x)

W0 = rng.standard_normal((1, H)) * 0.8
b0 = rng.standard_normal((1, H)) * 0.1
W1 = rng.standard_normal((H, 1)) * 0.3
b1 = np.zeros((1, 1))
lr = 0.1


def predict_(W0, b0, W1, b1, x):
    a = np.tanh(np.dot(x, W0) + b0)
    return np.dot(a, W1) + b1


def backprop(W0, b0, W1, b1, x, y):
    a = np.tanh(np.dot(x, W0) + b0)
    out = np.dot(a, W1) + b1
    err = out - y
    g_out = 2.0 * err / len(x)
    g_W1 = np.dot(a.T, g_out)
    g_b1 = np.sum(g_out, axis=0, keepdims=True)
    g_hidden = np.dot(g_out, W1.T) * (1.0 - a ** 2)
    g_W0 = np.dot(x.T, g_hidden)
    g_b0 = np.sum(g_hidden, axis=0, keepdims=True)
    return g_W0, g_b0, g_W1, g_b1


def case():
    """Adapter: my four arrays as the dict the doctor wants."""
    def grad_fn(p, x, y):
        gW0, gb0, gW1, gb1 = backprop(p["W0"], p["b0"], p["W1"], p["b1"], x, y)
        return {"W0": gW0, "b0": gb0, "W1": gW1, "b1": gb1}
    params = {"W0": W0.copy(), "b0": b0.copy(), "W1": W1.copy(), "b1": b1.copy()}
    return dict(params=params, x=x.copy(), y=y.copy(), grad_fn=grad_fn, lr=lr,
                predict=lambda p, x: predict_(p["W0"], p["b0"], p["W1"], p["b1"], x))
