"""Planted: tanh network where only the hidden bias gradient has its sign flipped."""
import numpy as np

EXPECTED = "one_param_sign_flipped"
DESCRIPTION = "I wrote db0 = -dh.sum(axis=0) (copied a minus from the delta formula), so b0 alone moves uphill."


def case():
    rng = np.random.default_rng(81)
    n, h = 500, 10
    x = rng.uniform(-2.5, 2.5, (n, 1))
    y = np.sin(x) * 2
    params = {"W0": rng.normal(size=(1, h)), "b0": rng.normal(size=(1, h)),
              "W1": rng.normal(size=(h, 1)) * 0.5, "b1": np.zeros((1, 1))}

    def predict(p, x):
        return np.tanh(x @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]

    def grad_fn(p, x, y):
        a = np.tanh(x @ p["W0"] + p["b0"])
        out = a @ p["W1"] + p["b1"]
        d = 2 * (out - y) / n
        dh = d @ p["W1"].T * (1 - a ** 2)
        return {"W0": x.T @ dh, "b0": -dh.sum(axis=0, keepdims=True),   # BUG: the minus
                "W1": a.T @ d, "b1": d.sum(axis=0, keepdims=True)}

    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1, predict=predict)
