"""Planted: relu network, dW0 built from (y - out) while everything else uses (out - y)."""
import numpy as np

EXPECTED = "one_param_sign_flipped"
DESCRIPTION = "My dW0 line uses the residual (y - out) while the other three use (out - y), so W0's gradient has the wrong sign."


def case():
    rng = np.random.default_rng(82)
    n, h = 800, 16
    x = np.sort(rng.uniform(-2, 2, n)).reshape(n, 1)
    y = np.abs(x) + 0.3 * np.sin(5 * x)
    W = [rng.normal(size=(1, h)), rng.normal(size=(h, 1)) * np.sqrt(2 / h)]
    b = [rng.uniform(-2, 2, size=(1, h)), np.zeros((1, 1))]

    def predict(p, x):
        return np.maximum(0, x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        z = x @ p["W0"] + p["b0"]
        a = np.maximum(0, z)
        out = a @ p["W1"] + p["b1"]
        g_out = 2 * (out - y) / n
        g_up = 2 * (y - out) / n                       # used for dW0 by mistake
        return {"W1": a.T @ g_out, "b1": g_out.sum(0, keepdims=True),
                "W0": x.T @ ((g_up @ p["W1"].T) * (z > 0)),       # BUG: sign
                "b0": ((g_out @ p["W1"].T) * (z > 0)).sum(0, keepdims=True)}

    return dict(params={"W0": W[0], "b0": b[0], "W1": W[1], "b1": b[1]}, x=x, y=y,
                grad_fn=grad_fn, lr=0.05, predict=predict)
