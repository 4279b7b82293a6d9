"""Planted: the hidden delta 'transposed' with reshape instead of .T before building dW0 and db0."""
import numpy as np

EXPECTED = "transposed_gradient"
DESCRIPTION = "I wanted the hidden delta as (h, n) and wrote l1_delta.reshape(h, n) instead of l1_delta.T, then reshaped dW0 and db0 back to (1, h)."


def case():
    rng = np.random.default_rng(130)
    n, h = 400, 10
    x = rng.uniform(-2, 2, (n, 1))
    y = x ** 2 - x
    p = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)),
         "W1": rng.normal(size=(h, 1)) * 0.3, "b1": np.zeros((1, 1))}

    def forward(p, x):
        l1 = 1 / (1 + np.exp(-(x @ p["W0"] + p["b0"])))
        return l1, l1 @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        l1, l2 = forward(p, x)
        l2_delta = 2 * (l2 - y) / n
        l1_delta = l2_delta @ p["W1"].T * l1 * (1 - l1)         # (n, h)
        l1_delta_T = l1_delta.reshape(h, n)                      # BUG: not a transpose
        return {"W0": (l1_delta_T @ x).reshape(p["W0"].shape),
                "b0": l1_delta_T.sum(axis=1).reshape(p["b0"].shape),
                "W1": l1.T @ l2_delta, "b1": l2_delta.sum(axis=0, keepdims=True)}

    return dict(params=p, x=x, y=y, grad_fn=grad_fn, lr=0.5, predict=lambda p, x: forward(p, x)[1])
