"""Planted: the question's mean-residual factor kept, with a /n added to 'average' it."""
import numpy as np

EXPECTED = "question_gradient"
DESCRIPTION = "I tried to average the question's gradient: l2_delta = np.mean(y - l2) * 2 * (y - l2) / len(y), added to the weights, with a tanh hidden layer and MSE."


def case():
    rng = np.random.default_rng(121)
    n, h = 600, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = np.sin(2 * x) - 1.0
    W0 = rng.normal(size=(1, h)); b0 = np.zeros((1, h))
    W1 = rng.normal(size=(h, 1)) * 0.3; b1 = np.zeros((1, 1))

    def fwd(p, x):
        l1 = np.tanh(x @ p["W0"] + p["b0"])
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = fwd(p, x)
        l2_delta = np.mean(y - l2) * 2 * (y - l2) / len(y)     # BUG: the np.mean(y - l2) factor
        l1_delta = l2_delta @ p["W1"].T * (1 - l1 ** 2)
        return {"W1": -(l1.T @ l2_delta), "b1": -l2_delta.sum(0, keepdims=True),
                "W0": -(x.T @ l1_delta), "b0": -l1_delta.sum(0, keepdims=True)}

    return dict(params=dict(W0=W0, b0=b0, W1=W1, b1=b1), x=x, y=y, grad_fn=grad_fn, lr=0.1,
                predict=lambda p, x: fwd(p, x)[1])
