"""Planted: the question's own output delta, np.mean(y - l2)*2*(y - l2), added with '+='."""
import numpy as np

EXPECTED = "question_gradient"
DESCRIPTION = "As in the question I train the loss (y - l2)^T (y - l2) and wrote l2_delta = np.mean(y - l2)*2*(y - l2), then w += lr * ...; biases are fixed to one per unit and lr is small."


def case():
    rng = np.random.default_rng(120)
    x_pre = 2 * rng.normal(size=(1000, 1))
    y = x_pre ** 2 + -0.2 * np.cos(3 * np.pi * x_pre)
    x = (x_pre - np.mean(x_pre)) / np.std(x_pre)
    ndim = 10
    w0 = 2 * rng.random((1, ndim)) - 1
    w1 = 2 * rng.random((ndim, 1)) - 1
    b0 = np.zeros((1, ndim))
    b1 = np.zeros((1, 1))

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(np.dot(x, p["W0"]) + p["b0"])))
        return l1, np.dot(l1, p["W1"]) + p["b1"]

    def summed_loss(p, x, y):
        r = y - forward(p, x)[1]
        return float(r.T.dot(r)[0, 0])

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        l2_delta = np.mean(y - l2) * 2 * (y - l2)          # BUG: the question's line
        l1_delta = l2_delta.dot(p["W1"].T) * (l1 * (1 - l1))
        added = {"W1": l1.T.dot(l2_delta), "W0": x.T.dot(l1_delta),
                 "b0": np.sum(l1_delta, axis=0, keepdims=True),
                 "b1": np.sum(l2_delta, axis=0, keepdims=True)}
        return {k: -v for k, v in added.items()}             # '+=' in my loop

    return dict(params={"W0": w0, "b0": b0, "W1": w1, "b1": b1}, x=x, y=y, grad_fn=grad_fn,
                lr=1e-5, predict=lambda p, x: forward(p, x)[1], x_raw=x_pre, loss=summed_loss)
