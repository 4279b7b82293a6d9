"""Planted: dW0 is the sum of the hidden deltas, the input x was left out."""
import numpy as np

EXPECTED = "missing_input_in_dW0"
DESCRIPTION = "I wrote dW0 = np.sum(dz0, axis=0) like the bias gradient and forgot to multiply by the input x."


def case():
    rng = np.random.default_rng(50)
    x = rng.uniform(-1, 3, (400, 1))             # not centred, so x matters
    y = (x - 1) ** 2
    p = {"W0": rng.normal(size=(1, 10)), "b0": rng.normal(size=(1, 10)),
         "W1": rng.normal(size=(10, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        dl2 = 2 * (l2 - y) / x.shape[0]
        dz0 = dl2 @ p["W1"].T * l1 * (1 - l1)
        return {"W1": l1.T @ dl2, "b1": np.sum(dl2, axis=0, keepdims=True),
                "W0": np.sum(dz0, axis=0, keepdims=True),     # BUG: should be x.T @ dz0
                "b0": np.sum(dz0, axis=0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=lambda p, x: forward(p, x)[1])
