"""Correct but unusual: mean squared error plus L2 weight decay, with the matching gradient."""
import numpy as np

EXPECTED = "correct_unconventional"
DESCRIPTION = "My loss is MSE + 1e-3 * (sum W0^2 + sum W1^2) and my gradient includes the 2e-3 * W terms."

LAM = 1e-3


def forward(params, x):
    W0, b0, W1, b1 = params["W0"], params["b0"], params["W1"], params["b1"]
    hidden = np.tanh(x.dot(W0) + b0)
    return hidden, hidden.dot(W1) + b1


def loss(params, x, y):
    _, out = forward(params, x)
    return float(np.mean((out - y) ** 2) + LAM * (np.sum(params["W0"] ** 2) + np.sum(params["W1"] ** 2)))


def grad_fn(params, x, y):
    hidden, out = forward(params, x)
    d_out = 2.0 * (out - y) / x.shape[0]
    d_hid = d_out.dot(params["W1"].T) * (1 - hidden * hidden)
    return {"W1": hidden.T.dot(d_out) + 2 * LAM * params["W1"],
            "b1": d_out.sum(axis=0, keepdims=True),
            "W0": x.T.dot(d_hid) + 2 * LAM * params["W0"],
            "b0": d_hid.sum(axis=0, keepdims=True)}


def case():
    rng = np.random.default_rng(123)
    x = rng.uniform(-2, 2, size=(300, 1))
    y = np.abs(x) - 1
    params = {"W0": rng.normal(size=(1, 8)), "b0": rng.normal(scale=0.5, size=(1, 8)),
              "W1": rng.normal(scale=0.4, size=(8, 1)), "b1": np.zeros((1, 1))}
    return dict(params=params, x=x, y=y, grad_fn=grad_fn, lr=0.1,
                predict=lambda p, x: forward(p, x)[1], loss=loss)
