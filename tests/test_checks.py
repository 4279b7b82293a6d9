"""helpers.checks: for each exercise a blank, each typical mistake (named in words) and a correct answer.

The answers here are written independently of the checks' own witnesses: each is the code a
learner would type. The worked solutions are the notebooks in notebooks/exercises/solutions/.
"""
import numpy as np
import pytest

from helpers import checks, gradcheck, gradient_mistakes, net


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
    plain_zero = lambda n, h: (np.zeros((1, h)), 0.0)  # broadcasts fine: not "summed over every axis"
    result = checks.check_bias_init(plain_zero)
    assert_fails_with(result, "b1 is a single number: a plain number broadcasts", "b1 -= lr * db1", "must have shape (1, 1)")
    assert "summed" not in result.message


def test_a_single_number_is_a_sum_for_a_gradient_and_a_plain_number_for_a_parameter():
    # a parameter set to a plain number did not sum anything; the doctor and the checks share these words
    parameter = gradient_mistakes.describe_shape("b1", (), (1, 1), 1000)
    assert "b1 is a single number" in parameter and "summed" not in parameter and "(1, 1)" in parameter
    assert "you summed over every axis" in gradient_mistakes.describe_shape("db1", (), (1, 1), 1000)
    assert "one bias per sample" in gradient_mistakes.describe_shape("b0", (1000, 10), (1, 10), 1000)


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
                      "db0 is 1000x too small", "averaged over the samples", "a shared bias's too")
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
    along_rows = lambda x: (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)  # all NaN
    assert_fails_with(checks.check_standardize(along_rows), "contains NaN or infinite values (500 of 500)", "0/0")
    precedence = checks.check_standardize(lambda x: x - x.mean() / x.std())
    assert_fails_with(precedence, "operator-precedence bug", "(x - x.mean()) / x.std()")
    assert "subtract the mean" not in precedence.message


def scale_test_reference(x_train, x_test):
    return (x_test - x_train.mean()) / x_train.std()


def test_scale_test():
    assert checks.check_scale_test(scale_test_reference).passed
    assert checks.check_scale_test(lambda tr, te: (te - tr.mean()) / tr.std(ddof=1)).passed
    assert_fails_with(checks.check_scale_test(blank), "no answer yet")
    own = lambda tr, te: (te - te.mean()) / te.std()  # the trap: the test set's own statistics
    assert_fails_with(checks.check_scale_test(own), "with its own mean and standard deviation")
    pooled = lambda tr, te: (te - np.vstack([tr, te]).mean()) / np.vstack([tr, te]).std()
    assert_fails_with(checks.check_scale_test(pooled), "training and test data together")
    assert_fails_with(checks.check_scale_test(lambda tr, te: te.copy()), "the raw test data")
    assert_fails_with(checks.check_scale_test(lambda tr, te: (te - tr.mean()) / tr.var()), "training variance")
    assert_fails_with(checks.check_scale_test(lambda tr, te: (te - tr.mean()) / te.std()), "test set's own standard")
    assert_fails_with(checks.check_scale_test(lambda tr, te: (te - te.mean()) / tr.std()), "test set's own mean")
    assert_fails_with(checks.check_scale_test(lambda tr, te: (tr - tr.mean()) / tr.std()), "must be the test set's shape")

    def in_place(tr, te):
        te -= tr.mean()
        te /= tr.std()
        return te

    assert_fails_with(checks.check_scale_test(in_place), "changed an input in place")


# --- exercise 3: the gradient -------------------------------------------------------------------

def gradients_reference(params, x, y):
    l1 = 1 / (1 + np.exp(-(x @ params["W0"] + params["b0"])))
    l2 = l1 @ params["W1"] + params["b1"]
    dl2 = 2 * (l2 - y) / len(y)
    dz0 = (dl2 @ params["W1"].T) * l1 * (1 - l1)
    return {"W0": x.T @ dz0, "b0": dz0.sum(0, keepdims=True), "W1": l1.T @ dl2, "b1": dl2.sum(0, keepdims=True)}


def _with_delta(delta_fn, slope=True):
    """The reference, with another dl2 (a typical mistake) or without the sigmoid's slope."""
    def gradients(params, x, y):
        l1 = 1 / (1 + np.exp(-(x @ params["W0"] + params["b0"])))
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
    # the question's own line, unchanged, as the gradient to subtract
    question = checks.check_gradients(_with_delta(lambda l2, y: np.mean(y - l2) * 2 * (y - l2)))
    assert_fails_with(question, "it equals -n * mean(y - l2) = -1000 * 3.77", "the question's np.mean(y - l2) * 2 * (y - l2)")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (y - l2))), "1000x too large and points uphill")
    scalar = checks.check_gradients(_with_delta(lambda l2, y: np.mean(2 * (l2 - y))))
    assert_fails_with(scalar, "did you average the output delta", "dl2 = 2 * (l2 - y) / n")
    assert "numpy said" in scalar.message  # the raw error is kept, after the words

    def scalar_with_dot(params, x, y):  # .dot takes a number without complaint; the shapes come out wrong
        l1 = 1 / (1 + np.exp(-(x @ params["W0"] + params["b0"])))
        dl2 = np.mean(2 * (l1 @ params["W1"] + params["b1"] - y))
        dz0 = dl2 * params["W1"].T * l1 * (1 - l1)
        return {"W0": x.T.dot(dz0), "b0": dz0.sum(0, keepdims=True), "W1": l1.T.dot(dl2), "b1": np.sum(dl2)}

    assert_fails_with(checks.check_gradients(scalar_with_dot), "dW1 has shape (10, 1000), one column per sample",
                      "did you average the output delta")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: (l2 - y) / len(y))),
                      "2x too small", "the 2 of d(r**2)/dr = 2 r is missing")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (l2 - y) / len(y), slope=False)),
                      "dz0 = dl2 @ W1.T, without the hidden activation's slope f'(z0)", "l1 * (1 - l1)")

    def w1_uphill(params, x, y):
        return dict(gradients_reference(params, x, y), W1=-gradients_reference(params, x, y)["W1"])

    assert_fails_with(checks.check_gradients(w1_uphill), "dW1 alone points uphill")

    def without_x(params, x, y):
        grads = gradients_reference(params, x, y)
        return dict(grads, W0=grads["b0"].copy())

    assert_fails_with(checks.check_gradients(without_x), "dW0 is the sum of dz0 over the samples, without x", "x.T @ dz0")

    def averaged_bias(params, x, y):
        grads = gradients_reference(params, x, y)
        return dict(grads, b0=grads["b0"] / len(y))

    assert_fails_with(checks.check_gradients(averaged_bias), "db0 alone is 1000x too small: averaged over the samples")

    def averaged_weight(params, x, y):
        grads = gradients_reference(params, x, y)
        return dict(grads, W1=grads["W1"] / len(y))

    assert_fails_with(checks.check_gradients(averaged_weight), "dW1 alone is 1000x too small: averaged over the samples")
    assert_fails_with(checks.check_gradients(_with_delta(lambda l2, y: 2 * (l2 - y) / len(y) ** 2)),
                      "your gradient is 1000x too small", "divided by n twice?")

    def from_pre_activation(params, x, y):
        z0 = x @ params["W0"] + params["b0"]
        l2 = 1 / (1 + np.exp(-z0)) @ params["W1"] + params["b1"]
        return dict(gradients_reference(params, x, y), W1=z0.T @ (2 * (l2 - y) / len(y)))

    assert_fails_with(checks.check_gradients(from_pre_activation), "dW1 = z0.T @ dl2, built from the pre-activation")

    def slope_at_z(params, x, y):
        z0 = x @ params["W0"] + params["b0"]
        l1 = 1 / (1 + np.exp(-z0))
        dz0 = (2 * (l1 @ params["W1"] + params["b1"] - y) / len(y) @ params["W1"].T) * z0 * (1 - z0)
        return dict(gradients_reference(params, x, y), W0=x.T @ dz0, b0=dz0.sum(0, keepdims=True))

    assert_fails_with(checks.check_gradients(slope_at_z), "slope is taken at the pre-activation z0")

    def w1_transposed(params, x, y):
        return dict(gradients_reference(params, x, y), W1=gradients_reference(params, x, y)["W1"].T)

    assert_fails_with(checks.check_gradients(w1_transposed), "dW1 has shape (1, 10): transposed")

    def per_sample_b0(params, x, y):
        l1 = 1 / (1 + np.exp(-(x @ params["W0"] + params["b0"])))
        dz0 = (2 * (l1 @ params["W1"] + params["b1"] - y) / len(y) @ params["W1"].T) * l1 * (1 - l1)
        return dict(gradients_reference(params, x, y), b0=dz0)

    assert_fails_with(checks.check_gradients(per_sample_b0), "db0 has shape (1000, 10): one bias per sample")

    def one_off(name, change):  # one parameter's gradient changed in a way no classic mistake explains
        return lambda p, x, y: dict(gradients_reference(p, x, y), **{name: change(gradients_reference(p, x, y)[name])})

    assert_fails_with(checks.check_gradients(one_off("W1", lambda g: 3 * g)), "your dW1 is 3x too large")
    assert_fails_with(checks.check_gradients(one_off("W0", lambda g: g + 0.1)), "your dW0 is wrong",
                      "dz0 = (dl2 @ W1.T) * l1 * (1 - l1)")
    assert_fails_with(checks.check_gradients(one_off("b1", lambda g: g * (1 + 1e-5))), "close but not equal")
    assert_fails_with(checks.check_gradients(lambda p, x, y: [1, 2]), "return a dict with the keys")
    assert_fails_with(checks.check_gradients(lambda p, x, y: {k: v * np.nan for k, v in p.items()}), "NaN")


def test_gradients_cannot_be_copied_from_the_package():
    def shortcut(params, x, y):
        return net.backward(params, net.forward(params, x)[1], y)

    assert_fails_with(checks.check_gradients(shortcut), "your function calls helpers.net.backward")
    from helpers.net import backward  # imported by name: the same function, still seen

    def by_name(params, x, y):
        return backward(params, net.forward(params, x)[1], y)

    assert_fails_with(checks.check_gradients(by_name), "helpers.net.backward")

    def with_the_forward_pass(params, x, y):  # the forward helper is allowed; the gradient is written out
        l2, cache = net.forward(params, x)
        return gradients_reference(params, x, y)

    assert checks.check_gradients(with_the_forward_pass).passed


def test_watching_the_calls_leaves_any_profiler_as_it_was():
    import sys

    def profiler(frame, event, arg):
        return None

    sys.setprofile(profiler)
    try:
        checks.check_gradients(gradients_reference)
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


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
    assert_fails_with(checks.check_learning_rate(1.0), "the steps overshoot", "would give var(y)")  # the question's lr
    assert_fails_with(checks.check_learning_rate(10.0), "diverged at epoch")
    assert_fails_with(checks.check_learning_rate(1e-4), "stable but slow")
    assert_fails_with(checks.check_learning_rate(-0.1), "positive step size")
    assert_fails_with(checks.check_learning_rate("0.1"), "lr must be a number")


def test_learning_rate_above_the_limit_is_explained_not_only_graded():
    # 1.09x the limit: the loss rises first, then ends lower than a passing lr = 0.1 does
    above, below = checks.check_learning_rate(0.36), checks.check_learning_rate(0.1)
    assert below.passed
    assert_fails_with(above, "1.09 x the limit", "rose from", "at epoch 1", "flatter ground", "the sharpness fell to")
    ended_above = float(above.message.split("It still ended at ")[1].split(",")[0])
    ended_below = float(below.message.split("in 300 epochs")[0].split(" to ")[-1])
    assert ended_above < ended_below


def test_result_shows_as_one_line():
    assert str(checks.check_learning_rate(0.1)).startswith("PASSED: ")
    assert repr(checks.check_bias_init(blank)) == "NOT YET: " + checks.BLANK




# --- exercise 5: the printed loss --------------------------------------------------------------

def test_loss():
    assert checks.check_loss(lambda l2, y: np.mean((l2 - y) ** 2)).passed
    assert checks.check_loss(lambda l2, y: ((y - l2) ** 2).mean()).passed
    assert_fails_with(checks.check_loss(blank), "no answer yet")
    assert_fails_with(checks.check_loss(lambda l2, y: np.mean(y - l2)), "the mean residual", "question's printed 'loss'")
    assert_fails_with(checks.check_loss(lambda l2, y: np.mean(l2 - y)), "the mean residual, mean(l2 - y)")
    assert_fails_with(checks.check_loss(lambda l2, y: np.mean(y - l2) ** 2), "square of the mean residual")
    assert_fails_with(checks.check_loss(lambda l2, y: (y - l2).T @ (y - l2)), "sum of squares", "200 times")
    assert_fails_with(checks.check_loss(lambda l2, y: np.sqrt(np.mean((y - l2) ** 2))), "root mean squared error")
    assert_fails_with(checks.check_loss(lambda l2, y: np.mean(np.abs(y - l2))), "mean absolute error")
    assert_fails_with(checks.check_loss(lambda l2, y: (y - l2) ** 2), "return one number")


# --- exercise 6: the prediction -----------------------------------------------------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def predict_reference(params, x_new_raw, x_train_raw):
    x = (x_new_raw - x_train_raw.mean()) / x_train_raw.std()
    return sigmoid(x @ params["W0"] + params["b0"]) @ params["W1"] + params["b1"]


def test_predict():
    assert checks.check_predict(predict_reference).passed
    assert_fails_with(checks.check_predict(blank), "no answer yet")

    def question(params, x_new_raw, x_train_raw):  # the question's last two lines, on its var scaling
        x = (x_new_raw - np.mean(x_train_raw)) / np.var(x_train_raw)
        l1 = 1 / (1 + np.exp(-(np.dot(x, params["W0"]))))
        return 1 / (1 + np.exp(-np.dot(l1, params["W1"])))

    assert_fails_with(checks.check_predict(question), "the question's last lines")

    def sigmoid_output(params, x_new_raw, x_train_raw):
        x = (x_new_raw - x_train_raw.mean()) / x_train_raw.std()
        return sigmoid(sigmoid(x @ params["W0"] + params["b0"]) @ params["W1"] + params["b1"])

    assert_fails_with(checks.check_predict(sigmoid_output), "goes through a sigmoid")

    def no_b1(params, x_new_raw, x_train_raw):
        return predict_reference(params, x_new_raw, x_train_raw) - params["b1"]

    assert_fails_with(checks.check_predict(no_b1), "b1 is missing")
    own = lambda p, new, train: predict_reference(p, new, new)
    assert_fails_with(checks.check_predict(own), "with their own mean and std")
    unscaled = lambda p, new, train: sigmoid(new @ p["W0"] + p["b0"]) @ p["W1"] + p["b1"]
    assert_fails_with(checks.check_predict(unscaled), "not scaled")
    assert_fails_with(checks.check_predict(lambda p, new, train: np.zeros(len(new))), "one row per new input")


# --- exercise 7: a gradient check ---------------------------------------------------------------

def numerical_gradient_reference(f, p, eps=1e-5):
    """The package's centred differences (an independent witness), for one array."""
    return gradcheck.numerical_gradient(lambda d: f(d["p"]), {"p": p}, eps)["p"]


def _numerical(step, restore=True):
    def numerical_gradient(f, p, eps=1e-5):
        grad = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            grad[i] = step(f, p, i, eps)
            if not restore:
                p[i] += eps
        return grad
    return numerical_gradient


def _nudge(f, p, i, d):
    old = p[i]
    p[i] = old + d
    value = f(p)
    p[i] = old
    return value


def test_numerical_gradient():
    assert checks.check_numerical_gradient(numerical_gradient_reference).passed
    assert_fails_with(checks.check_numerical_gradient(blank), "no answer yet")
    forward = _numerical(lambda f, p, i, e: (_nudge(f, p, i, e) - f(p)) / e)
    assert_fails_with(checks.check_numerical_gradient(forward), "forward difference")
    half = _numerical(lambda f, p, i, e: (_nudge(f, p, i, e) - _nudge(f, p, i, -e)) / e)
    assert_fails_with(checks.check_numerical_gradient(half), "divide by 2 * eps")
    flipped = _numerical(lambda f, p, i, e: (_nudge(f, p, i, -e) - _nudge(f, p, i, e)) / (2 * e))
    assert_fails_with(checks.check_numerical_gradient(flipped), "sign is flipped")
    unrestored = _numerical(lambda f, p, i, e: (_nudge(f, p, i, e) - _nudge(f, p, i, -e)) / (2 * e), restore=False)
    assert_fails_with(checks.check_numerical_gradient(unrestored), "restore each entry")
    assert_fails_with(checks.check_numerical_gradient(lambda f, p, eps: f(p)), "shaped like p")


def test_relative_error():
    def reference(a, b):  # notebook 03's pasteable line, written again
        return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))

    assert checks.check_relative_error(reference).passed
    assert checks.check_relative_error(gradcheck.relative_error).passed
    assert_fails_with(checks.check_relative_error(blank), "no answer yet")
    assert_fails_with(checks.check_relative_error(lambda a, b: np.max(np.abs(a - b))), "absolute error")

    def norm_wise(a, b):  # the other common definition, which this series does not use
        bottom = max(np.linalg.norm(a), np.linalg.norm(b))
        return np.linalg.norm(a - b) / bottom if bottom > 0 else 0.0

    assert_fails_with(checks.check_relative_error(norm_wise), "norm-wise", "entry by entry")
    larger = lambda a, b: np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b))))
    assert_fails_with(checks.check_relative_error(larger), "max(|a_i|, |b_i|)", "|a_i| + |b_i|")
    with np.errstate(all="ignore"):
        only_b = lambda a, b: np.max(np.abs(a - b) / np.abs(b))
        assert_fails_with(checks.check_relative_error(only_b), "divided by |b_i| only")
        no_floor = lambda a, b: np.max(np.abs(a - b) / (np.abs(a) + np.abs(b)))
        assert_fails_with(checks.check_relative_error(no_floor), "0/0", "max(1e-8, |a_i| + |b_i|)")
        nan_free = lambda a, b: np.nanmax(np.abs(a - b) / (np.abs(a) + np.abs(b)))  # skips 0/0, still no floor
        assert_fails_with(checks.check_relative_error(nan_free), "without the 1e-8 floor")
    averaged = lambda a, b: np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
    assert_fails_with(checks.check_relative_error(averaged), "averaged the entries' errors")
    per_entry = lambda a, b: np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
    assert_fails_with(checks.check_relative_error(per_entry), "return one number")


# --- short questions ----------------------------------------------------------------------------

@pytest.mark.parametrize("question", sorted(checks.QUESTIONS))
def test_each_question_has_one_right_answer_and_words_for_every_option(question):
    right, feedback = checks.QUESTIONS[question]
    assert sorted(feedback) == ["a", "b", "c"]
    results = {letter: checks.check_answer(question, letter) for letter in feedback}
    assert [letter for letter, r in results.items() if r.passed] == [right]
    assert all(r.message == feedback[letter] for letter, r in results.items())
    assert checks.check_answer(question, f" ({right.upper()}) ").passed  # forgiving about the letter's form
    assert_fails_with(checks.check_answer(question, None), "no answer yet")
    assert_fails_with(checks.check_answer(question, "d"), "one of the letters a, b, c")


def test_an_unknown_question_is_a_value_error():
    with pytest.raises(ValueError, match="question must be one of"):
        checks.check_answer("no-such-question", "a")


# --- exercise 9: find the bug -------------------------------------------------------------------

def tanh_loss_and_grads(params, X, T, slope=lambda H: 1 - H**2):
    H = np.tanh(X @ params["A"] + params["a"])
    E = H @ params["B"] + params["b"] - T
    dY = 2 * E / len(X)
    dZ = (dY @ params["B"].T) * slope(H)
    return np.mean(E**2), {"A": X.T @ dZ, "a": dZ.sum(axis=0, keepdims=True), "B": H.T @ dY,
                           "b": dY.sum(axis=0, keepdims=True)}


def test_find_the_bug():
    assert checks.check_find_the_bug(tanh_loss_and_grads).passed
    assert_fails_with(checks.check_find_the_bug(blank), "no answer yet")
    unchanged = lambda p, X, T: tanh_loss_and_grads(p, X, T, slope=lambda H: 1 - H)
    assert_fails_with(checks.check_find_the_bug(unchanged), "dA and da are wrong, dB and db right", "still the original bug")
    sigmoid_slope = lambda p, X, T: tanh_loss_and_grads(p, X, T, slope=lambda H: H * (1 - H))
    assert_fails_with(checks.check_find_the_bug(sigmoid_slope), "the sigmoid's slope")

    def wrong_b(params, X, T):
        loss, grads = tanh_loss_and_grads(params, X, T)
        return loss, dict(grads, b=grads["b"] / len(X))

    assert_fails_with(checks.check_find_the_bug(wrong_b), "db is 200x too small", "averaged over the samples")

    def wrong_B(params, X, T):
        loss, grads = tanh_loss_and_grads(params, X, T)
        return loss, dict(grads, B=grads["B"] + 1.0)

    assert_fails_with(checks.check_find_the_bug(wrong_B), "dB differ from the exact gradient", "numerical gradient")
    assert_fails_with(checks.check_find_the_bug(lambda p, X, T: tanh_loss_and_grads(p, X, T)[1]), "return (loss, grads)")

    params, X, T = checks.tanh_net_problem()  # the reference above against an independent witness: centred differences
    exact = tanh_loss_and_grads(params, X, T)[1]
    numerical = gradcheck.numerical_gradient(lambda p: tanh_loss_and_grads(p, X, T)[0], params, eps=1e-5)
    for k in params:
        assert np.linalg.norm(exact[k] - numerical[k]) <= 1e-7 * np.linalg.norm(numerical[k])
