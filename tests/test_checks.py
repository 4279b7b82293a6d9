"""helpers.checks and the exercise notebooks: a blank, each typical mistake and a correct answer.

The reference solutions live here, not beside the blanks in notebooks/exercises/.
"""
import ast
import contextlib
import io
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import checks, net

EXERCISES = Path(__file__).resolve().parent.parent / "notebooks" / "exercises"


def blank(*args):
    # YOUR CODE HERE
    raise NotImplementedError()


def assert_fails_with(result, *phrases):
    assert isinstance(result, checks.CheckResult) and not result.passed
    for phrase in phrases:
        assert phrase in result.message, f"{phrase!r} not in {result.message!r}"


# --- exercise 1: shapes ------------------------------------------------------------------------

def init_biases_reference(n_samples, n_hidden):
    return np.random.default_rng(0).normal(size=(1, n_hidden)), np.zeros((1, 1))


def test_bias_init():
    assert checks.check_bias_init(init_biases_reference).passed
    assert_fails_with(checks.check_bias_init(blank), "no answer yet")
    per_sample = lambda n, h: (np.zeros((n, h)), np.zeros((n, 1)))  # the question's mistake
    assert_fails_with(checks.check_bias_init(per_sample), "b0 has shape (1000, 10): one bias per sample",
                      "it must be (1, 10)")
    flat = lambda n, h: (np.zeros(h), np.zeros((1, 1)))
    assert_fails_with(checks.check_bias_init(flat), "b0 has shape (10,): it lost an axis")
    hard_coded = lambda n, h: (np.zeros((1, 10)), np.zeros((1, 1)))  # works for 10 units only
    assert_fails_with(checks.check_bias_init(hard_coded), "n_hidden=3")
    assert_fails_with(checks.check_bias_init(lambda n, h: np.zeros((1, h))), "return two arrays")
    assert_fails_with(checks.check_bias_init(init_biases_reference(1000, 10)), "expected a function")


def bias_gradients_reference(l1_delta, l2_delta):
    return l1_delta.sum(axis=0, keepdims=True), l2_delta.sum(axis=0, keepdims=True)


def test_bias_gradients():
    assert checks.check_bias_gradients(bias_gradients_reference).passed
    assert_fails_with(checks.check_bias_gradients(blank), "no answer yet")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1, d2)),
                      "db0 has shape (1000, 10): one bias per sample; it must be (1, 10)", ".sum(axis=0, keepdims=True)")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1.sum(axis=0), d2.sum(axis=0))),
                      "db0 has shape (10,): it lost an axis", "keepdims=True")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1.mean(0, keepdims=True), d2.mean(0, keepdims=True))),
                      "db0 is 1000x too small: you averaged")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1.sum(), d2.sum())),
                      "db0 is a single number: you summed over every axis")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1.sum(1, keepdims=True).T[:, :10], d2.sum(0, keepdims=True))),
                      "db0 has the right shape but the wrong values")
    assert_fails_with(checks.check_bias_gradients(lambda d1, d2: (d1.sum(0, keepdims=True), -d2.sum(0, keepdims=True))),
                      "db1 has the wrong sign")


# --- exercise 2: normalization ------------------------------------------------------------------

def standardize_reference(x):
    return (x - x.mean()) / x.std()


def test_standardize():
    assert checks.check_standardize(standardize_reference).passed
    assert checks.check_standardize(lambda x: (x - x.mean()) / x.std(ddof=1)).passed  # n - 1 is fine too
    assert_fails_with(checks.check_standardize(blank), "no answer yet")
    assert_fails_with(checks.check_standardize(lambda x: (x - x.mean()) / x.var()),
                      "divided by the variance", "= 1/sigma")
    assert_fails_with(checks.check_standardize(lambda x: x / x.std()), "not 0: subtract the mean")
    assert_fails_with(checks.check_standardize(lambda x: (x - x.mean()) / np.abs(x).max()),
                      "not 1: divide by the standard deviation")

    def in_place(x):
        x -= x.mean()
        x /= x.std()
        return x

    assert_fails_with(checks.check_standardize(in_place), "changed its input in place")
    assert_fails_with(checks.check_standardize(lambda x: standardize_reference(x).ravel()), "must keep the input's shape")
    assert_fails_with(checks.check_standardize(lambda x: 1 / 0), "your function raised ZeroDivisionError")


# --- exercise 3: the gradient -------------------------------------------------------------------

def gradients_reference(params, x, y):
    l1 = net.sigmoid(x @ params["W0"] + params["b0"])
    l2 = l1 @ params["W1"] + params["b1"]
    dl2 = 2 * (l2 - y) / len(y)
    dz0 = (dl2 @ params["W1"].T) * l1 * (1 - l1)
    return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def _with_delta(delta_fn, slope=True):
    """The reference, with another dl2 (a typical mistake) or without the sigmoid's slope."""
    def gradients(params, x, y):
        l1 = net.sigmoid(x @ params["W0"] + params["b0"])
        l2 = l1 @ params["W1"] + params["b1"]
        dl2 = delta_fn(l2, y)
        dz0 = (dl2 @ params["W1"].T) * (l1 * (1 - l1) if slope else 1)
        return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}
    return gradients


def test_gradients():
    assert checks.check_gradients(gradients_reference).passed
    assert_fails_with(checks.check_gradients(blank), "no answer yet")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (y - l2) / len(y))),
                      "your gradient points uphill")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (l2 - y))),
                      "your gradient is 1000x too large", "did you sum instead of averaging?")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: -np.mean(y - l2) * 2 * (y - l2))),
                      "n * mean(y - l2)")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: (l2 - y) / len(y))),
                      "2x too small", "the 2 of d(r**2)/dr = 2 r is missing")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (l2 - y) / len(y), slope=False)),
                      "your dW0 is wrong", "l1 * (1 - l1)")

    def w1_uphill(params, x, y):
        return dict(gradients_reference(params, x, y), W1=-gradients_reference(params, x, y)["W1"])

    assert_fails_with(checks.check_gradients(w1_uphill), "your dW1 points uphill")

    def w1_transposed(params, x, y):
        return dict(gradients_reference(params, x, y), W1=gradients_reference(params, x, y)["W1"].T)

    assert_fails_with(checks.check_gradients(w1_transposed), "dW1 has shape (1, 10): transposed")

    def per_sample_b0(params, x, y):
        l1 = net.sigmoid(x @ params["W0"] + params["b0"])
        dz0 = (2 * (l1 @ params["W1"] + params["b1"] - y) / len(y) @ params["W1"].T) * l1 * (1 - l1)
        return dict(gradients_reference(params, x, y), b0=dz0)

    assert_fails_with(checks.check_gradients(per_sample_b0), "db0 has shape (1000, 10): one bias per sample")
    assert_fails_with(checks.check_gradients(lambda p, x, y: [1, 2]), "return a dict with the keys")
    assert_fails_with(checks.check_gradients(lambda p, x, y: {k: v * np.nan for k, v in p.items()}), "NaN")


# --- exercise 4: the learning rate --------------------------------------------------------------

def test_largest_stable_lr():
    assert checks.check_largest_stable_lr(lambda lam: 2 / lam).passed
    assert_fails_with(checks.check_largest_stable_lr(blank), "no answer yet")
    assert_fails_with(checks.check_largest_stable_lr(lambda lam: 1 / lam), "lands exactly on the bottom")
    assert_fails_with(checks.check_largest_stable_lr(lambda lam: 2 * lam), "*smaller* step")
    assert_fails_with(checks.check_largest_stable_lr(lambda lam: 3 / lam), "solve |1 - lr * lam| < 1")
    assert_fails_with(checks.check_largest_stable_lr(lambda lam: "two"), "return a number")


def test_learning_rate():
    assert checks.check_learning_rate(0.1).passed
    assert_fails_with(checks.check_learning_rate(None), "no answer yet")  # the blank: lr = None
    assert_fails_with(checks.check_learning_rate(1.0), "above it, each step overshoots")  # the question's lr
    assert_fails_with(checks.check_learning_rate(10.0), "diverged at epoch")
    assert_fails_with(checks.check_learning_rate(1e-4), "stable but slow")
    assert_fails_with(checks.check_learning_rate(-0.1), "positive step size")
    assert_fails_with(checks.check_learning_rate("0.1"), "lr must be a number")


def test_result_shows_as_one_line():
    assert str(checks.check_learning_rate(0.1)).startswith("PASSED: ")
    assert repr(checks.check_bias_init(blank)) == "NOT YET: " + checks.BLANK


# --- the committed exercise notebooks: blanks that answer with a message, never a traceback --------

def run_cells(path):
    """Execute a notebook's code cells like a kernel would; return every cell's last-expression value."""
    namespace, values = {}, []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, str(path), "exec"), namespace)
            if last is not None:
                values.append(eval(compile(ast.Expression(last.value), str(path), "eval"), namespace))
    return values


NOTEBOOKS = sorted(EXERCISES.glob("*.ipynb"))


def test_there_is_one_exercise_per_bug():
    assert [p.stem.split("_", 1)[1] for p in NOTEBOOKS] == ["shapes", "normalization", "gradient", "learning_rate"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_exercise_keeps_its_blanks_and_every_check_answers_them(path):
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "YOUR CODE HERE" in source
    results = [v for v in run_cells(path) if isinstance(v, checks.CheckResult)]
    assert results, "every exercise has at least one check cell"
    for result in results:
        assert not result.passed
        assert "no answer yet" in result.message


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_notebook_has_no_solution_beside_the_blank(path):
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert ".sum(axis=0, keepdims=True)" not in source and "x.std()" not in source and "2 / lam" not in source
