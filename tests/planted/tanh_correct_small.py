"""Correct tanh network, small: 5 hidden units, 200 samples, CS231n forward/backward with a cache."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A small correct 1-5-1 tanh network on a parabola, layer functions with caches."


def affine_forward(a, W, b):
    return a @ W + b, (a, W)


def affine_backward(dout, cache):
    a, W = cache
    return dout @ W.T, a.T @ dout, dout.sum(axis=0, keepdims=True)


def tanh_forward(z):
    t = np.tanh(z)
    return t, t


def tanh_backward(dout, cache):
    return dout * (1 - cache ** 2)


def loss_and_grads(p, x, y):
    z0, c0 = affine_forward(x, p["W0"], p["b0"])
    l1, ct = tanh_forward(z0)
    l2, c1 = affine_forward(l1, p["W1"], p["b1"])
    loss = np.mean((l2 - y) ** 2)
    dl2 = 2 * (l2 - y) / y.shape[0]
    dl1, dW1, db1 = affine_backward(dl2, c1)
    dz0 = tanh_backward(dl1, ct)
    _, dW0, db0 = affine_backward(dz0, c0)
    return loss, {"W0": dW0, "b0": db0, "W1": dW1, "b1": db1}


def case():
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (200, 1))
    y = 3 * x ** 2 - 1
    p = {"W0": rng.standard_normal((1, 5)), "b0": np.zeros((1, 5)),
         "W1": 0.5 * rng.standard_normal((5, 1)), "b1": np.zeros((1, 1))}
    return dict(params=p, x=x, y=y, grad_fn=lambda p, x, y: loss_and_grads(p, x, y)[1],
                lr=0.2, predict=lambda p, x: np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"])
