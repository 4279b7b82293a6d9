"""Planted: every relu unit dead at the start: b0 = -10 while |x @ W0| < 5."""
import numpy as np

EXPECTED = "dead_relu"
DESCRIPTION = "I initialised the hidden biases to -10 'to keep activations small'; with x in [-2, 2] every relu unit is 0 for every sample, so only b1 ever learns."


def affine_forward(a, W, b):
    return a @ W + b, (a, W)


def affine_backward(dout, cache):
    a, W = cache
    return dout @ W.T, a.T @ dout, np.sum(dout, axis=0, keepdims=True)


def relu_forward(z):
    return np.maximum(z, 0), z


def relu_backward(dout, z):
    return dout * (z > 0)


def model(p, x):
    z, c0 = affine_forward(x, p["W0"], p["b0"])
    a, cr = relu_forward(z)
    out, c1 = affine_forward(a, p["W1"], p["b1"])
    return out, (c0, cr, c1)


def gradients(p, x, y):
    out, (c0, cr, c1) = model(p, x)
    dout = 2 * (out - y) / x.shape[0]
    da, dW1, db1 = affine_backward(dout, c1)
    dz = relu_backward(da, cr)
    _, dW0, db0 = affine_backward(dz, c0)
    return {"W0": dW0, "b0": db0, "W1": dW1, "b1": db1}


def case():
    rng = np.random.default_rng(220)
    n, h = 500, 12
    x = rng.uniform(-2, 2, (n, 1))
    y = np.abs(x)
    p = {"W0": rng.uniform(-2, 2, size=(1, h)), "b0": np.full((1, h), -10.0),      # BUG: b0 = -10
         "W1": rng.normal(size=(h, 1)) * np.sqrt(2 / h), "b1": np.zeros((1, 1))}
    return dict(params=p, x=x, y=y, grad_fn=gradients, lr=0.05, predict=lambda p, x: model(p, x)[0])
