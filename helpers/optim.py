r"""Beyond plain gradient descent: momentum, Adam, and Levenberg-Marquardt.

One learning rate must suit every direction of the loss surface: below ``2 / lambda_max`` (the
steepest curvature) or the run diverges, so along the flattest direction (curvature ``lambda_min``)
each step shrinks the error only by ``1 - lr * lambda_min``, close to 1. ``momentum`` lets steps
build up along a direction the gradient keeps pointing to; ``adam`` divides each parameter's step
by a running root-mean-square of its own gradient; ``levenberg_marquardt`` uses the curvature
itself (MATLAB's ``trainlm``, Hagan & Menhaj 1994): for a squared loss ``J^T J`` (``J = dr/dtheta``,
how each residual ``r = y - l2`` moves with each parameter) approximates the Hessian, and a step
solves ``(J^T J + mu I) delta = -J^T r``: a Newton step where the surface is well modelled (small
``mu``), a short gradient step where it is not (large ``mu``). No learning rate: ``mu`` adapts.

``momentum`` and ``adam`` run in ``train.descend`` and return its ``TrainResult``. LM finds the
bottom of the valley it starts in, so ``fit_lm`` also chooses the start. ``fitting_task`` is the
data notebook 07 and ``benchmarks/run.py`` share.
"""
import itertools
import math
from dataclasses import dataclass

import numpy as np

from . import data, net, train
from .validate import MAX_DENSE, MAX_HIDDEN, MAX_ITERS, MAX_SAMPLES, check_int, check_number, check_seed, real_array
from .fastnet import FastNet

__all__ = ["MU_START", "MU_FACTOR", "MU_MAX", "MAX_ITERS", "TINY", "momentum", "adam", "FittingTask",
           "fitting_task", "jacobian", "levenberg_marquardt", "nguyen_widrow", "fit_lm"]

#: Marquardt's damping schedule, as in MATLAB's ``trainlm``: start at ``MU_START``, divide by
#: ``MU_FACTOR`` after a step that lowered the loss, multiply by it after one that did not,
#: and stop when ``mu`` passes ``MU_MAX`` (no step, however short, lowers the loss).
MU_START, MU_FACTOR, MU_MAX = 1e-3, 10.0, 1e10
#: Jacobian entries below this are set to 0 (see ``_lm_functions``): ``TINY**2`` is still a
#: normal float64, so no product in ``J^T J`` underflows.
TINY = 1e-150


def _check_fraction(name, value):
    return check_number(name, value, 0, 1, high_open=True)


def momentum(params, x, y, lr, epochs, beta=0.9):
    """Gradient descent with momentum (CS231n's form): ``v = beta v - lr grad; p += v``.

    ``beta = 0`` is plain gradient descent. Where the gradient keeps its direction the velocity
    builds up to ``lr / (1 - beta)`` times it (ten times ``lr`` for ``beta = 0.9``); where it
    flips sign, the contributions cancel. ``lr`` > 0, ``0 <= beta < 1``; the rest, and the
    ``TrainResult`` returned, as for ``train.train``.
    """
    lr, beta = check_number("lr", lr, 0, low_open=True), _check_fraction("beta", beta)
    velocity = np.zeros(len(net.flatten(params)))

    def momentum_step(theta, grad):
        velocity[:] = beta * velocity - lr * grad
        theta += velocity

    return train.descend(params, x, y, epochs, momentum_step, per_sample=False)


def adam(params, x, y, lr, epochs, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam (Kingma & Ba, 2015): a step of about ``lr`` per parameter, whatever its gradient's scale.

    With ``g`` the gradient at epoch ``k`` (from 1): ``m = beta1 m + (1 - beta1) g`` (a running mean,
    momentum), ``v = beta2 v + (1 - beta2) g**2`` (of its square), and
    ``p -= lr * (m / (1 - beta1**k)) / (sqrt(v / (1 - beta2**k)) + eps)``: the ``1 - beta**k``
    factors undo the start at zero. ``lr`` and ``eps`` finite and > 0, betas in ``[0, 1)``; the
    rest, and the ``TrainResult`` returned, as for ``train.train``.
    """
    lr, eps = check_number("lr", lr, 0, low_open=True), check_number("eps", eps, 0, low_open=True)
    beta1, beta2 = _check_fraction("beta1", beta1), _check_fraction("beta2", beta2)
    m = np.zeros(len(net.flatten(params)))
    v = np.zeros_like(m)
    epoch = itertools.count(1)

    def adam_step(theta, grad):
        k = next(epoch)
        m[:] = beta1 * m + (1 - beta1) * grad
        v[:] = beta2 * v + (1 - beta2) * grad**2
        theta -= lr * (m / (1 - beta1**k)) / (np.sqrt(v / (1 - beta2**k)) + eps)

    return train.descend(params, x, y, epochs, adam_step, per_sample=False)


@dataclass
class FittingTask:
    """A training set and a held-out set of the question's data, scaled the same way.

    ``x``, ``y``: the training set (``x`` standardized). ``x_test``, ``y_test``: the held-out points
    inside the training inputs' range, scaled with the training mean and std; ``n_outside``: how
    many lay beyond it (extrapolation, see ``data.in_training_range``). ``x_raw``: ``x`` unscaled.
    """

    x: np.ndarray
    y: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    n_outside: int
    x_raw: np.ndarray

    def held_out_mse(self, params):
        """The MSE of the network ``params`` on the held-out set."""
        return net.mse(net.forward(params, self.x_test)[0], self.y_test)


def fitting_task(seed=0, n=1000):
    """A ``FittingTask``: ``make_data(n, seed)`` to train, ``data.held_out_data(n, seed)`` to test.

    ``n`` from 10 (fewer leave almost no held-out point inside the training range) to ``MAX_SAMPLES``.
    """
    check_int("n", n, 10, MAX_SAMPLES)
    x_raw, y = data.make_data(n, seed)
    test_raw, y_test = data.held_out_data(n, seed)
    inside = data.in_training_range(test_raw, x_raw)
    if not inside.any():
        raise ValueError(f"n must leave a held-out point inside the training range, got n={n} (seed={seed}) "
                         "with none; expected a larger n")
    mean, std = x_raw.mean(), x_raw.std()
    return FittingTask(
        x=data.standardize(x_raw), y=y,
        x_test=data.standardize(test_raw[inside], mean, std), y_test=y_test[inside],
        n_outside=int(np.count_nonzero(~inside)), x_raw=x_raw,
    )


def jacobian(params, x):
    r"""How each prediction ``l2[i]`` moves with each parameter: shape ``(n, 3 h + 1)``.

    Columns in ``net.flatten``'s order. For sample ``i`` and unit ``j``: ``dl2/dW1_j = l1_ij``,
    ``dl2/db1 = 1``, ``dl2/db0_j = W1_j l1_ij (1 - l1_ij)`` and ``dl2/dW0_j = x_i dl2/db0_j``.
    Backprop sums these rows weighted by ``dL/dl2``: ``J.T @ (2 (l2 - y) / n)`` is ``net.backward``'s
    gradient; Levenberg-Marquardt keeps them apart. ``params``, ``x``: see ``net.check_network``.
    """
    params, x = net.check_network(params, x)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = net.forward(params, x)[1]
        d_b0 = net.sigmoid_slope(cache["z0"]) * params["W1"].T  # (n, h)
        return np.hstack([x * d_b0, d_b0, cache["l1"], np.ones((len(x), 1))])


def _least_squares_lm(residuals, jacobian, theta, max_iters, mu=MU_START, tol=1e-10):
    r"""Minimise ``sum(r**2)`` by Levenberg-Marquardt, from ``theta``.

    ``residuals(theta)`` returns the vector ``r``, ``jacobian(theta)`` the matrix ``J = dr/dtheta``
    (called only where ``residuals`` just was, so it may reuse that evaluation). Each iteration
    solves ``(J^T J + mu I) delta = -J^T r``. A step that lowers the sum of squares is taken and
    ``mu`` shrinks (``/ MU_FACTOR``), towards the Gauss-Newton step (with ``mu = 0``, exact in one
    iteration for linear least squares); one that does not is solved again with ``mu * MU_FACTOR``:
    shorter, turned towards the small gradient step ``-J^T r / mu``. So the loss never rises.

    Stops after ``max_iters`` iterations, when a step gains less than ``tol`` times the sum of
    squares, or when ``mu`` passes ``MU_MAX``. Returns the final ``theta`` and ``sums``, the sum of
    squares at the start of every iteration and at the end. Unchecked: ``levenberg_marquardt`` checks.
    """
    theta = np.array(theta, dtype=float)
    r = residuals(theta)
    sse = float(r @ r)
    sums = [sse]
    eye = np.eye(len(theta))
    for _ in range(max_iters):
        J = jacobian(theta)
        # einsum, not J.T @ J: OpenBLAS runs that product on every core, and on a busy machine
        # waiting for its threads made a 0.05 s fit take 0.6 to 3 s (measured on 2 cores)
        JTJ, JTr = np.einsum("ij,ik->jk", J, J), np.einsum("ij,i->j", J, r)
        while True:
            try:
                delta = np.linalg.solve(JTJ + mu * eye, -JTr)
                r_new = residuals(theta + delta)
                sse_new = float(r_new @ r_new)
            except np.linalg.LinAlgError:  # singular J^T J at mu = 0: damp and solve again
                sse_new = math.inf
            if sse_new < sse:  # a NaN compares False: rejected like an uphill step
                break
            mu = max(mu, MU_START) * MU_FACTOR
            if mu > MU_MAX:
                return theta, np.array(sums)
        theta, r = theta + delta, r_new
        mu /= MU_FACTOR
        done = sse - sse_new < tol * sse
        sse = sse_new
        sums.append(sse)
        if done:
            break
    return theta, np.array(sums)


def levenberg_marquardt(params, x, y, max_iters=100):
    """Train with Levenberg-Marquardt on the MSE; returns a ``train.TrainResult``.

    The residual is the question's ``r = y - l2``, so ``J = -dl2/dtheta``. ``losses[k]`` is the
    MSE after ``k`` iterations: ``max_iters + 1`` losses, fewer if it stopped early. The loss never
    rises, so only parameters whose loss is not finite to begin with are reported diverged (at
    epoch 0), as ``train.train`` does. Where it ends depends on where it starts: ``fit_lm`` chooses
    the start. ``max_iters`` from 1 to ``MAX_ITERS``; at most ``MAX_DENSE`` parameters (``J^T J``
    is dense); bad input raises ``train.train``'s ``ValueError``.
    """
    check_int("max_iters", max_iters, 1, MAX_ITERS)
    params, x, y = net.check_inputs(params, x, y)  # with the size, before FastNet allocates its (h, n) arrays
    if 3 * params["W0"].shape[1] + 1 > MAX_DENSE:
        raise ValueError(f"params must have at most MAX_DENSE = {MAX_DENSE} entries for J^T J, "
                         f"got {3 * params['W0'].shape[1] + 1}")
    fast = FastNet(params, x, y)
    with np.errstate(all="ignore"):  # a wild trial step may overflow; it is rejected
        fast.theta[:], sums = _least_squares_lm(*_lm_functions(fast), fast.theta, max_iters)
    if not math.isfinite(sums[0]):  # parameters so wild the loss is not even finite: as train reports it
        return train.TrainResult(np.array([]), fast.params(), True, 0)
    return train.TrainResult(sums / fast.n, fast.params(), False, None)


def _lm_functions(fast):
    """``residuals(theta) = y - l2`` and its Jacobian ``-dl2/dtheta``: ``jacobian``'s fast path, filled
    in place from what ``FastNet.forward()`` leaves behind."""
    rows = net.param_slices(len(fast.theta))
    JT = np.empty((len(fast.theta), fast.n))
    JT[rows["b1"]] = -1.0                              # dr/db1 = -1

    def residuals(theta):
        fast.theta[:] = theta
        fast.forward()
        return fast.r[0].copy()  # a copy: the next forward pass reuses the buffer

    def jacobian_here(theta):  # called right after residuals(theta): fast holds that point
        d_b0 = JT[rows["b0"]]
        np.multiply(fast.e, fast.l1, out=d_b0)
        np.multiply(d_b0, fast.l1, out=d_b0)           # the slope l1 (1 - l1), no cancellation
        np.multiply(d_b0, -fast.W1, out=d_b0)          # dr/db0 = -W1 l1 (1 - l1)

        np.multiply(d_b0, fast.xa[:1], out=JT[rows["W0"]])  # dr/dW0 = x dr/db0
        np.negative(fast.l1, out=JT[rows["W1"]])       # dr/dW1 = -l1
        # A saturated unit's entries can be ~1e-300: their products in J^T J underflow to
        # subnormal numbers, which CPUs compute up to 100x slower, for no digit of the result.
        JT[np.abs(JT) < TINY] = 0.0
        return JT.T
    return residuals, jacobian_here


def nguyen_widrow(x, n_hidden=10, seed=0):
    """Nguyen-Widrow-style initialisation for one input: sigmoids spread where the data is.

    A sigmoid unit is useful where it is sloped: around its centre ``-b0 / W0``, over a width of
    about ``4 / |W0|``; drawn at random, units can share one stretch or sit flat beyond the data.
    Nguyen and Widrow (1990) give every unit the same steepness, so that the ``h`` sloped stretches
    together cover the input, and scatter the centres across it. Here ``|W0| = 2 * 0.7 h / std(x)``
    (their tanh steepness ``0.7 h`` for an input in ``[-1, 1]``, doubled since ``sigmoid(z) =
    (1 + tanh(z / 2)) / 2``, with ``[-1, 1]`` mapped onto one std either side of the mean, where most
    of the data is), centres at ``h`` distinct training inputs drawn at random, a random sign per
    unit, ``W1`` uniform in ``[-0.5, 0.5]`` and ``b1 = 0``.

    Drawn from ``numpy.random.default_rng(seed)``. ``x``: finite inputs, at least ``n_hidden``
    of them (1 to ``MAX_HIDDEN``), not all equal; ``seed`` an integer >= 0 (or a ``SeedSequence``).
    """
    check_int("n_hidden", n_hidden, 1, MAX_HIDDEN)
    if not isinstance(seed, np.random.SeedSequence):  # fit_lm passes its starts' SeedSequences
        check_seed("seed", seed)
    x = real_array("x", x).ravel()
    if len(x) < n_hidden:
        raise ValueError(f"x must hold at least n_hidden = {n_hidden} inputs, got {len(x)}")
    with np.errstate(over="ignore"):
        spread = float(x.std())
    if not 0 < spread < np.inf:
        raise ValueError(f"x must vary, with a finite spread, got inputs with standard deviation {spread:.3g}")
    rng = np.random.default_rng(seed)
    W0 = (2 * 0.7 * n_hidden / x.std()) * rng.choice([-1.0, 1.0], size=(1, n_hidden))
    centres = rng.choice(x, size=(1, n_hidden), replace=False)
    return {"W0": W0, "b0": -W0 * centres, "W1": rng.uniform(-0.5, 0.5, size=(n_hidden, 1)), "b1": np.zeros((1, 1))}


def fit_lm(x, y, n_hidden=10, seed=0, starts=4, probe_iters=20, max_iters=100):
    """Levenberg-Marquardt made reliable: a few starts, a short probe each, then the best.

    From some starts LM settles for the parabola and leaves the ripple (training MSE near the
    ripple's variance, 0.02), from others it fits part of the ripple too; the training loss after
    ``probe_iters`` iterations tells them apart. So: draw ``starts`` initialisations
    (``nguyen_widrow``, from ``numpy.random.SeedSequence(seed)``), probe each, and continue the one
    with the lowest *training* loss up to ``max_iters`` iterations in all. Returns its
    ``train.TrainResult``. ``x``, ``y`` as for ``train.train``; at most ``MAX_ITERS`` iterations in
    all (``starts * probe_iters + max_iters``).
    """
    check_seed("seed", seed)
    for name, value in [("starts", starts), ("probe_iters", probe_iters), ("max_iters", max_iters)]:
        check_int(name, value, 1, MAX_ITERS)
    if starts * probe_iters + max_iters > MAX_ITERS:
        raise ValueError(f"starts * probe_iters + max_iters must be at most MAX_ITERS = {MAX_ITERS}, got "
                         f"{starts} * {probe_iters} + {max_iters}")
    probe_iters = min(probe_iters, max_iters)
    probes = [
        levenberg_marquardt(nguyen_widrow(x, n_hidden, child), x, y, probe_iters)
        for child in np.random.SeedSequence(seed).spawn(starts)
    ]
    best = min(probes, key=lambda run: run.final_loss)
    if max_iters == probe_iters:
        return best
    rest = levenberg_marquardt(best.params, x, y, max_iters - probe_iters)
    return train.TrainResult(np.concatenate([best.losses, rest.losses[1:]]), rest.params, False, None)
