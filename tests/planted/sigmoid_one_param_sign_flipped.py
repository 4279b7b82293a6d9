"""Planted: the question's add-the-delta style, but W1 is updated with the wrong sign."""
import numpy as np

EXPECTED = "one_param_sign_flipped"
DESCRIPTION = "I add lr * delta for W0, b0 and b1 but wrote w1 -= lr * l1.T.dot(l2_delta), so W1 alone climbs the loss."


def case():
    rng = np.random.default_rng(80)
    x = rng.normal(size=(1000, 1))
    y = x ** 2 - 0.2 * np.cos(3 * np.pi * x)
    w0 = 2 * rng.random((1, 10)) - 1
    w1 = 2 * rng.random((10, 1)) - 1
    b0 = np.zeros((1, 10))
    b1 = np.zeros((1, 1))

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
        return l1, np.dot(l1, p["W1"]) + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        l2_delta = 2 * (y - l2) / len(y)
        l1_delta = l2_delta.dot(p["W1"].T) * (l1 * (1 - l1))
        # my loop:  w1 -= lr*l1.T.dot(l2_delta)   (BUG: should be +=)
        #           w0 += lr*x.T.dot(l1_delta); b0 += lr*l1_delta.sum(0); b1 += lr*l2_delta.sum(0)
        # in the doctor's convention (params -= lr * grad) that is:
        return {"W1": l1.T.dot(l2_delta),
                "W0": -x.T.dot(l1_delta),
                "b0": -l1_delta.sum(axis=0, keepdims=True),
                "b1": -l2_delta.sum(axis=0, keepdims=True)}

    return dict(params={"W0": w0, "b0": b0, "W1": w1, "b1": b1}, x=x, y=y,
                grad_fn=grad_fn, lr=0.2, predict=lambda p, x: forward(p, x)[1])
