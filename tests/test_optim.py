import warnings

import numpy as np
import pytest
import scipy.optimize

from helpers import data, gradcheck, net, optim, train


@pytest.fixture(scope="module")
def problem():
    x_raw, y = data.make_data(seed=0)
    return data.standardize(x_raw), y


def small_problem(n=60, seed=3):
    x_raw, y = data.make_data(n=n, seed=seed)
    return data.standardize(x_raw), y


# --- the fast path in helpers.train ---------------------------------------------------


def test_train_matches_a_plain_loop_over_forward_and_backward(problem):
    x, y = problem
    p = net.init_params(seed=5)
    result = train.train(p, x, y, lr=0.2, epochs=50)
    q = {k: v.copy() for k, v in p.items()}
    for epoch in range(50):
        l2, cache = net.forward(q, x)
        assert result.losses[epoch] == pytest.approx(net.mse(l2, y), rel=1e-6)
        grads = net.backward(q, cache, y)
        for k in q:
            q[k] -= 0.2 * grads[k]
    for k in q:
        np.testing.assert_allclose(result.params[k], q[k], rtol=1e-6, atol=1e-8)


# --- momentum and Adam ----------------------------------------------------------------


def test_momentum_with_beta_zero_is_gradient_descent(problem):
    x, y = problem
    p = net.init_params(seed=2)
    a = optim.momentum(p, x, y, lr=0.1, epochs=30, beta=0.0)
    b = train.train(p, x, y, lr=0.1, epochs=30)
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-12)


def test_momentum_follows_the_heavy_ball_recurrence(problem):
    x, y = problem
    p = net.init_params(seed=3)
    result = optim.momentum(p, x, y, lr=0.05, epochs=6, beta=0.8)
    q = {k: v.copy() for k, v in p.items()}
    v = {k: np.zeros_like(q[k]) for k in q}
    for epoch in range(6):
        l2, cache = net.forward(q, x)
        assert result.losses[epoch] == pytest.approx(net.mse(l2, y), rel=1e-6)
        g = net.backward(q, cache, y)
        for k in q:
            v[k] = 0.8 * v[k] - 0.05 * g[k]
            q[k] += v[k]
    for k in q:
        np.testing.assert_allclose(result.params[k], q[k], rtol=1e-6)


def test_adam_follows_kingma_and_ba(problem):
    x, y = problem
    p = net.init_params(seed=4)
    lr, b1, b2, eps = 0.01, 0.8, 0.99, 1e-6
    result = optim.adam(p, x, y, lr=lr, epochs=5, beta1=b1, beta2=b2, eps=eps)
    q = {k: v.copy() for k, v in p.items()}
    m = {k: np.zeros_like(q[k]) for k in q}
    s = {k: np.zeros_like(q[k]) for k in q}
    for t in range(1, 6):
        l2, cache = net.forward(q, x)
        assert result.losses[t - 1] == pytest.approx(net.mse(l2, y), rel=1e-6)
        g = net.backward(q, cache, y)
        for k in q:
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            s[k] = b2 * s[k] + (1 - b2) * g[k] ** 2
            q[k] -= lr * (m[k] / (1 - b1**t)) / (np.sqrt(s[k] / (1 - b2**t)) + eps)
    for k in q:
        np.testing.assert_allclose(result.params[k], q[k], rtol=1e-6)


def test_adams_first_step_moves_every_parameter_by_lr_against_its_gradient(problem):
    x, y = problem
    p = net.init_params(seed=0)
    result = optim.adam(p, x, y, lr=0.01, epochs=1, eps=1e-12)  # eps too small to matter
    grads = net.backward(p, net.forward(p, x)[1], y)
    for k in p:
        step = result.params[k] - p[k]
        np.testing.assert_allclose(step, -0.01 * np.sign(grads[k]), rtol=1e-5)


@pytest.mark.parametrize("trainer", [optim.momentum, optim.adam])
def test_momentum_and_adam_beat_gradient_descent_at_the_same_lr(problem, trainer):
    x, y = problem
    p = net.init_params(seed=0)
    plain = train.train(p, x, y, lr=0.05, epochs=1000)
    faster = trainer(p, x, y, lr=0.05, epochs=1000)
    assert not faster.diverged
    assert faster.final_loss < 0.5 * plain.final_loss


@pytest.mark.parametrize("trainer", [optim.momentum, optim.adam])
def test_a_huge_lr_is_reported_as_divergence_without_warnings(problem, trainer):
    x, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = trainer(net.init_params(seed=0), x, y, lr=1e6, epochs=500)
    assert result.diverged and 0 < result.diverged_at < 500
    assert np.all(np.isfinite(result.losses))
    assert result.summary().startswith(f"diverged at epoch {result.diverged_at} (")


@pytest.mark.parametrize("trainer", [optim.momentum, optim.adam, optim.levenberg_marquardt])
def test_the_callers_params_are_untouched(problem, trainer):
    x, y = problem
    p = net.init_params(seed=0)
    before = {k: v.copy() for k, v in p.items()}
    kwargs = {"max_iters": 3} if trainer is optim.levenberg_marquardt else {"lr": 0.05, "epochs": 3}
    result = trainer(p, x, y, **kwargs)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
        assert not np.array_equal(result.params[k], before[k])


@pytest.mark.parametrize("trainer", [optim.momentum, optim.adam])
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0.0}, "lr must be a positive finite number"),
        ({"lr": float("nan")}, "lr must be a positive finite number"),
        ({"epochs": 0}, "epochs must be an integer >= 1"),
    ],
)
def test_bad_hyperparameters_get_trains_errors(problem, trainer, kwargs, message):
    x, y = problem
    with pytest.raises(ValueError, match=message):
        trainer(net.init_params(), x, y, **({"lr": 0.1, "epochs": 5} | kwargs))


@pytest.mark.parametrize(
    "trainer, kwargs, message",
    [
        (optim.momentum, {"beta": 1.0}, r"beta must be a finite number >= 0 and < 1"),
        (optim.momentum, {"beta": -0.1}, r"beta must be a finite number >= 0 and < 1"),
        (optim.momentum, {"beta": "0.9"}, "beta must be a finite number >= 0 and < 1, got '0.9'"),
        (optim.adam, {"beta1": 1.5}, r"beta1 must be a finite number >= 0 and < 1"),
        (optim.adam, {"beta2": 1.0}, r"beta2 must be a finite number >= 0 and < 1"),
        (optim.adam, {"eps": 0.0}, "eps must be a positive finite number"),
    ],
)
def test_bad_betas_are_rejected(problem, trainer, kwargs, message):
    x, y = problem
    with pytest.raises(ValueError, match=message):
        trainer(net.init_params(), x, y, lr=0.1, epochs=5, **kwargs)


@pytest.mark.parametrize("trainer", [optim.momentum, optim.adam, optim.levenberg_marquardt])
def test_bad_data_gets_trains_errors(problem, trainer):
    x, y = problem
    kwargs = {"max_iters": 3} if trainer is optim.levenberg_marquardt else {"lr": 0.05, "epochs": 3}
    with pytest.raises(ValueError, match="same number of samples"):
        trainer(net.init_params(), x, y[:-1], **kwargs)
    p = net.init_params()
    p["b1"] = np.zeros((1000, 1))
    with pytest.raises(ValueError, match="one bias per sample"):
        trainer(p, x, y, **kwargs)


def test_lm_rejects_a_bad_iteration_count(problem):
    x, y = problem
    with pytest.raises(ValueError, match="max_iters must be an integer >= 1"):
        optim.levenberg_marquardt(net.init_params(), x, y, max_iters=0)


# --- Levenberg-Marquardt --------------------------------------------------------------


def test_the_jacobian_matches_finite_differences_and_backprop():
    x, y = small_problem(n=20)
    p = net.init_params(n_hidden=4, seed=1)
    J = optim.jacobian(p, x)
    assert J.shape == (20, 13)
    theta = net.flatten(p)
    numeric = np.empty_like(J)
    for j in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[j] += 1e-6
        down[j] -= 1e-6
        diff = net.forward(net.unflatten(up), x)[0] - net.forward(net.unflatten(down), x)[0]
        numeric[:, j] = diff.ravel() / 2e-6
    assert gradcheck.relative_error(J, numeric) < 1e-6
    # Backprop is J^T (dL/dl2): the rows of J summed, weighted by 2 r / n.
    l2, cache = net.forward(p, x)
    grads = net.flatten(net.backward(p, cache, y))
    np.testing.assert_allclose(J.T @ (2 * (l2 - y).ravel() / len(x)), grads, rtol=1e-10, atol=1e-14)


def test_one_undamped_step_solves_linear_least_squares():
    rng = np.random.default_rng(0)
    A, b = rng.normal(size=(30, 4)), rng.normal(size=30)
    theta, sums = optim._least_squares_lm(lambda t: A @ t - b, lambda t: A, np.zeros(4), max_iters=1, mu=0.0)
    exact = np.linalg.lstsq(A, b, rcond=None)[0]
    np.testing.assert_allclose(theta, exact, rtol=1e-10)
    assert len(sums) == 2 and sums[1] < sums[0]


def test_least_squares_lm_agrees_with_scipy_on_a_curve_fit():
    t = np.linspace(0, 4, 40)
    obs = 2.5 * np.exp(-1.3 * t) + 0.5 + 0.01 * np.sin(7 * t)

    def residuals(p):
        return p[0] * np.exp(-p[1] * t) + p[2] - obs

    def jac(p):
        e = np.exp(-p[1] * t)
        return np.column_stack([e, -p[0] * t * e, np.ones_like(t)])

    ours, sums = optim._least_squares_lm(residuals, jac, [1.0, 0.5, 0.0], max_iters=200)
    theirs = scipy.optimize.least_squares(residuals, [1.0, 0.5, 0.0], jac=jac, method="lm", xtol=1e-14, ftol=1e-14)
    np.testing.assert_allclose(ours, theirs.x, rtol=1e-6)
    assert np.all(np.diff(sums) < 0)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_levenberg_marquardt_and_scipy_both_find_a_teachers_exact_fit(seed):
    # Targets made by a 3-unit network: a zero-residual problem, so the minimum is known (0).
    rng = np.random.default_rng(seed)
    x = np.linspace(-3, 3, 50).reshape(-1, 1)
    teacher = net.init_params(n_hidden=3, seed=10 + seed)
    y = net.forward(teacher, x)[0]
    start = {k: v + 0.2 * rng.normal(size=v.shape) for k, v in teacher.items()}
    ours = optim.levenberg_marquardt(start, x, y, max_iters=500)

    def residuals(theta):
        return (net.forward(net.unflatten(theta), x)[0] - y).ravel()

    theirs = scipy.optimize.least_squares(
        residuals, net.flatten(start), jac=lambda th: optim.jacobian(net.unflatten(th), x),
        method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15,
    )
    start_loss = net.mse(net.forward(start, x)[0], y)
    assert np.mean(theirs.fun**2) < 1e-6 * start_loss
    assert ours.final_loss < 1e-6 * start_loss


def test_levenberg_marquardt_never_raises_the_loss_and_beats_gradient_descent(problem):
    x, y = problem
    p = net.init_params(seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lm = optim.levenberg_marquardt(p, x, y, max_iters=30)
    assert not lm.diverged and lm.diverged_at is None
    assert np.all(np.diff(lm.losses) <= 0)
    gd = train.train(p, x, y, lr=0.2, epochs=30 * 20)
    assert lm.final_loss < gd.final_loss


def test_one_lm_iteration_is_the_damped_gauss_newton_step_of_the_reference_jacobian(problem):
    x, y = problem
    p = net.init_params(seed=6)
    J = optim.jacobian(p, x)
    r = (net.forward(p, x)[0] - y).ravel()
    start_loss = net.mse(net.forward(p, x)[0], y)
    mu = optim.MU_START
    while True:  # Marquardt's schedule: raise mu until the step lowers the loss
        delta = np.linalg.solve(J.T @ J + mu * np.eye(J.shape[1]), -J.T @ r)
        if net.mse(net.forward(net.unflatten(net.flatten(p) + delta), x)[0], y) < start_loss:
            break
        mu *= optim.MU_FACTOR
    stepped = optim.levenberg_marquardt(p, x, y, max_iters=1)
    assert stepped.final_loss < stepped.losses[0] == pytest.approx(start_loss)
    np.testing.assert_allclose(net.flatten(stepped.params), net.flatten(p) + delta, rtol=1e-8, atol=1e-10)


def test_nguyen_widrow_spreads_equally_steep_units_over_the_data(problem):
    x, _ = problem
    p = optim.nguyen_widrow(x, n_hidden=10, seed=0)
    net.check_params(p)
    np.testing.assert_allclose(np.abs(p["W0"]), 2 * 0.7 * 10 / x.std())
    centres = -p["b0"] / p["W0"]
    assert np.all(np.isin(np.round(centres, 9), np.round(x.ravel(), 9)))  # each centre is a training input
    assert len(np.unique(centres)) == 10
    again = optim.nguyen_widrow(x, n_hidden=10, seed=0)
    for k in p:
        np.testing.assert_array_equal(p[k], again[k])


@pytest.mark.parametrize(
    "args, message",
    [
        ({"n_hidden": 0}, "n_hidden must be an integer >= 1"),
        ({"x": np.ones((20, 1))}, "x must vary"),
        ({"x": np.arange(3.0).reshape(3, 1)}, "at least n_hidden = 10"),
    ],
)
def test_nguyen_widrow_rejects_what_it_cannot_use(problem, args, message):
    kwargs = {"x": problem[0], "n_hidden": 10} | args
    with pytest.raises(ValueError, match=message):
        optim.nguyen_widrow(**kwargs)


def test_fit_lm_continues_the_probe_with_the_lowest_training_loss(problem):
    x, y = problem
    result = optim.fit_lm(x, y, n_hidden=10, seed=0, starts=3, probe_iters=5, max_iters=12)
    probes = [optim.levenberg_marquardt(optim.nguyen_widrow(x, 10, child), x, y, max_iters=5)
              for child in np.random.SeedSequence(0).spawn(3)]
    best = min(probes, key=lambda run: run.final_loss)
    np.testing.assert_array_equal(result.losses[:6], best.losses)
    assert len(result.losses) <= 13 and np.all(np.diff(result.losses) <= 0)


@pytest.mark.parametrize("name", ["starts", "probe_iters", "max_iters"])
def test_fit_lm_rejects_bad_counts(problem, name):
    x, y = problem
    with pytest.raises(ValueError, match=f"{name} must be an integer >= 1"):
        optim.fit_lm(x, y, **{name: 0})


def test_the_fitting_task_scales_the_held_out_set_with_training_statistics():
    task = optim.fitting_task(seed=4)
    x_raw, y = data.make_data(seed=4)
    test_raw, y_test = data.make_data(seed=4 + data.HELD_OUT_OFFSET)
    inside = (test_raw[:, 0] >= x_raw.min()) & (test_raw[:, 0] <= x_raw.max())
    assert task.n_outside == np.count_nonzero(~inside) and len(task.x_test) == np.count_nonzero(inside)
    np.testing.assert_allclose(task.x_test, (test_raw[inside] - x_raw.mean()) / x_raw.std())
    np.testing.assert_array_equal(task.y_test, y_test[inside])
    np.testing.assert_array_equal(task.y, y)
    p = net.init_params(seed=0)
    assert task.held_out_mse(p) == net.mse(net.forward(p, task.x_test)[0], task.y_test)


@pytest.mark.parametrize("trainer", [lambda p, x, y: optim.levenberg_marquardt(p, x, y, max_iters=5),
                                     lambda p, x, y: train.train(p, x, y, lr=0.1, epochs=5)])
def test_non_finite_parameters_are_an_error_not_a_divergence(problem, trainer):
    x, y = problem
    p = net.init_params(seed=0)
    p["W1"] = np.full((10, 1), np.inf)
    with pytest.raises(ValueError, match=r"^params\['W1'\] must be finite"):
        trainer(p, x, y)


def test_lm_reports_a_start_with_no_finite_loss_as_divergence_at_epoch_0(problem):
    x, y = problem
    p = net.init_params(seed=0)
    p["W1"] = np.full((10, 1), 1e300)  # finite, but the squared residual overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = optim.levenberg_marquardt(p, x, y, max_iters=5)
    assert result.diverged and result.diverged_at == 0 and len(result.losses) == 0
    assert result.summary() == train.train(p, x, y, lr=0.1, epochs=5).summary() == "diverged at epoch 0 (loss not finite)"
