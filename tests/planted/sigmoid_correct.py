"""A plain, correct 1-10-1 sigmoid network on a parabola: dict params, mean squared error."""
import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A textbook sigmoid network on y = x^2 with mean squared error and the exact gradient."


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(p, x):
    l1 = sigmoid(x @ p["W0"] + p["b0"])
    l2 = l1 @ p["W1"] + p["b1"]
    return l1, l2


def gradients(p, x, y):
    n = x.shape[0]
    l1, l2 = forward(p, x)
    dl2 = 2 * (l2 - y) / n                      # d mean((l2 - y)^2) / d l2
    dz1 = (dl2 @ p["W1"].T) * l1 * (1 - l1)     # back through the sigmoid
    return {
        "W1": l1.T @ dl2,
        "b1": dl2.sum(axis=0, keepdims=True),
        "W0": x.T @ dz1,
        "b0": dz1.sum(axis=0, keepdims=True),
    }


def case():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(500, 1))
    y = x ** 2
    h = 10
    params = {
        "W0": rng.normal(size=(1, h)),
        "b0": np.zeros((1, h)),
        "W1": rng.normal(size=(h, 1)) / np.sqrt(h),
        "b1": np.zeros((1, 1)),
    }
    return dict(params=params, x=x, y=y, grad_fn=gradients, lr=0.5,
                predict=lambda p, x: forward(p, x)[1])
