"""Planted: correct tanh network with lr = 5, far beyond what its curvature allows."""
import numpy as np

EXPECTED = "lr_too_large"
DESCRIPTION = "My tanh network's gradient is right but I set lr = 5 and the loss explodes."

rng = np.random.default_rng(151)
X = rng.uniform(-3, 3, (800, 1))
Y = np.sin(X) + 0.1 * X ** 2
weights = [rng.normal(size=(1, 15)), rng.normal(size=(15, 1)) * 0.3]
biases = [rng.normal(size=(1, 15)) * 0.3, np.zeros((1, 1))]


def forward(Ws, bs, x):
    a = np.tanh(x @ Ws[0] + bs[0])
    return a, a @ Ws[1] + bs[1]


def backward(Ws, bs, x, y):
    a, out = forward(Ws, bs, x)
    g = 2 * (out - y) / len(y)
    gh = (g @ Ws[1].T) * (1 - a ** 2)
    return [x.T @ gh, a.T @ g], [gh.sum(0, keepdims=True), g.sum(0, keepdims=True)]


def case():
    def grad_fn(p, x, y):
        gW, gb = backward([p["W0"], p["W1"]], [p["b0"], p["b1"]], x, y)
        return {"W0": gW[0], "W1": gW[1], "b0": gb[0], "b1": gb[1]}
    params = {"W0": weights[0].copy(), "W1": weights[1].copy(), "b0": biases[0].copy(), "b1": biases[1].copy()}
    return dict(params=params, x=X, y=Y, grad_fn=grad_fn, lr=5.0,
                predict=lambda p, x: forward([p["W0"], p["W1"]], [p["b0"], p["b1"]], x)[1])
