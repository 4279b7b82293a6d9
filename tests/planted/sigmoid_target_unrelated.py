"""Planted: x shuffled independently of y (I shuffled x and y with two different permutations)."""
import numpy as np

EXPECTED = "target_unrelated"
DESCRIPTION = "I shuffled x and y separately (two different permutations), so each x is paired with a random sample's y."

rng = np.random.default_rng(231)
N, H = 800, 10
X = rng.uniform(-2, 2, (N, 1))
Y = X ** 2
X = X[rng.permutation(N)]                    # BUG: x and y shuffled separately
Y = Y[rng.permutation(N)]
W0 = rng.normal(size=(1, H))
b0 = np.zeros((1, H))
W1 = rng.normal(size=(H, 1)) * 0.3
b1 = np.zeros((1, 1))


def sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def forward(W0, b0, W1, b1, X):
    A = sigmoid(X.dot(W0) + b0)
    return A, A.dot(W1) + b1


def backward(W0, b0, W1, b1, X, Y):
    A, P = forward(W0, b0, W1, b1, X)
    dP = 2.0 * (P - Y) / X.shape[0]
    dA = dP.dot(W1.T)
    dZ = dA * A * (1.0 - A)
    return X.T.dot(dZ), dZ.sum(axis=0, keepdims=True), A.T.dot(dP), dP.sum(axis=0, keepdims=True)


def case():
    def grad_fn(p, x, y):
        gW0, gb0, gW1, gb1 = backward(p["W0"], p["b0"], p["W1"], p["b1"], x, y)
        return {"W0": gW0, "b0": gb0, "W1": gW1, "b1": gb1}
    return dict(params={"W0": W0.copy(), "b0": b0.copy(), "W1": W1.copy(), "b1": b1.copy()},
                x=X.copy(), y=Y.copy(), grad_fn=grad_fn, lr=0.5,
                predict=lambda p, x: forward(p["W0"], p["b0"], p["W1"], p["b1"], x)[1])
