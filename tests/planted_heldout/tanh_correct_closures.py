"""A correct tanh network built from closures (held-out suite)."""

import numpy as np

EXPECTED = "correct"
DESCRIPTION = "A 1-8-1 tanh network whose forward and backward passes are closures, fitting |x| with the mean squared error; nothing is wrong."


def make_network():
    def forward(params, x):
        a = np.tanh(x @ params["W0"] + params["b0"])
        return a, a @ params["W1"] + params["b1"]

    def predict(params, x):
        return forward(params, x)[1]

    def grad(params, x, y):
        a, out = forward(params, x)
        g_out = 2 * (out - y) / x.shape[0]
        g_pre = (g_out @ params["W1"].T) * (1 - a ** 2)
        return {
            "W1": a.T @ g_out,
            "b1": np.sum(g_out, axis=0, keepdims=True),
            "W0": x.T @ g_pre,
            "b0": np.sum(g_pre, axis=0, keepdims=True),
        }

    return predict, grad


def case():
    rng = np.random.default_rng(14002)
    n, h = 300, 8
    x = rng.uniform(-2, 2, size=(n, 1))
    y = np.abs(x) - 1.0
    predict, grad = make_network()
    params = {"W0": rng.uniform(-1, 1, (1, h)), "b0": rng.uniform(-1, 1, (1, h)),
              "W1": rng.uniform(-1, 1, (h, 1)) / np.sqrt(h), "b1": np.zeros((1, 1))}
    return {"params": params, "x": x, "y": y, "grad_fn": grad, "lr": 0.1, "predict": predict}
