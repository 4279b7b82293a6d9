r"""Beyond plain gradient descent: momentum, Adam, and Levenberg-Marquardt.

Gradient descent takes the step ``-lr * grad``. One ``lr`` must suit every direction of the
loss surface at once: it has to stay below ``2 / lambda_max`` (the steepest curvature) or the
run diverges, so along the flattest directions (curvature ``lambda_min``) each step shrinks the
error only by a factor ``1 - lr * lambda_min``, close to 1. The trainers here answer that in
three ways:

- ``momentum`` (heavy ball): keep a running velocity ``v = beta v - lr grad`` and step by ``v``.
  Along a flat direction the gradient points the same way epoch after epoch, the velocity
  builds up to ``lr / (1 - beta)`` times the gradient: ten times ``lr`` for ``beta = 0.9``.
  Along a steep direction the gradient flips sign and the contributions cancel.
- ``adam``: divide each parameter's step by a running root-mean-square of its own gradient,
  so every parameter moves about ``lr`` per epoch whatever the scale of its gradient.
- ``levenberg_marquardt``: use the curvature itself. For a squared loss the Gauss-Newton
  matrix ``J^T J`` (``J`` = how each prediction moves with each parameter) approximates the
  Hessian, and the step solves ``(J^T J + mu I) delta = -J^T r``: a Newton step where the
  surface is well modelled (small ``mu``), a short gradient step where it is not (large
  ``mu``). No learning rate; ``mu`` adapts itself. This is MATLAB's ``trainlm``
  (Hagan & Menhaj, 1994), the classic trainer for small fitting networks.

``momentum`` and ``adam`` run in ``train.descend``, the loop plain gradient descent uses, so
they report divergence and reject bad input exactly as ``train.train`` does, and return the
same ``TrainResult``. Levenberg-Marquardt finds the bottom of the valley it starts in, so
``fit_lm`` also chooses the start: ``nguyen_widrow`` initialisations, a short probe of each,
the best continued. ``fitting_task`` is the data that notebook 07 and ``benchmarks/run.py``
share: a training set and a held-out set scaled alike.
"""
import itertools
import math
from dataclasses import dataclass

import numpy as np

from . import data, net, train
from .validate import (MAX_DENSE, MAX_HIDDEN, MAX_ITERS, MAX_SAMPLES, check_callable, check_int, check_number,
                       check_seed, real_array)
from .fastnet import FastNet

__all__ = ["MU_START", "MU_FACTOR", "MU_MAX", "MAX_ITERS", "TINY", "momentum", "adam", "FittingTask",
           "fitting_task", "jacobian", "least_squares_lm", "levenberg_marquardt", "nguyen_widrow", "fit_lm"]

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

    ``beta = 0`` is plain gradient descent. On a long gentle slope the velocity approaches
    ``lr / (1 - beta)`` times the gradient, so momentum moves ``1 / (1 - beta)`` times
    faster where gradient descent crawls. Returns a ``train.TrainResult``. ``lr`` > 0,
    ``0 <= beta < 1``; the rest as for ``train.train``.
    """
    train.check_training_inputs(params, x, y)
    lr, beta = check_number("lr", lr, 0, low_open=True), _check_fraction("beta", beta)
    velocity = np.zeros(len(net.flatten(params)))

    def momentum_step(theta, grad):
        velocity[:] = beta * velocity - lr * grad
        theta += velocity

    return train.descend(params, x, y, epochs, momentum_step)


def adam(params, x, y, lr, epochs, beta1=0.9, beta2=0.999, eps=1e-8):
    r"""Adam (Kingma & Ba, 2015): a step of about ``lr`` per parameter, whatever its gradient's scale.

    With ``g`` the gradient at epoch ``k`` (counting from 1):

    .. math::

        m = \beta_1 m + (1 - \beta_1) g, \qquad v = \beta_2 v + (1 - \beta_2) g^2

        p \mathrel{-}= lr \, \frac{m / (1 - \beta_1^k)}{\sqrt{v / (1 - \beta_2^k)} + \epsilon}

    ``m`` is a running mean of the gradient (momentum), ``v`` of its square; the
    ``1 - beta^k`` factors undo their start at zero. Returns a ``train.TrainResult``.
    ``lr`` and ``eps`` finite and > 0, betas in ``[0, 1)``; the rest as for ``train.train``.
    """
    train.check_training_inputs(params, x, y)
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

    return train.descend(params, x, y, epochs, adam_step)


#: Kept for older code: the held-out rule lives in ``data.held_out_data``.
HELD_OUT_SEED_OFFSET = data.HELD_OUT_OFFSET


@dataclass
class FittingTask:
    """A training set and a held-out set of the question's data, scaled the same way.

    ``x``, ``y``: the training set (``x`` standardized with its own mean and std).
    ``x_test``, ``y_test``: the held-out points *inside the training inputs' range*, scaled
    with the training mean and std. ``n_outside``: how many held-out points were left out
    because they lie beyond that range (extrapolation, reported apart: see
    ``data.in_training_range``). ``x_raw``: the training inputs before scaling.
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
    """The question's regression problem with a held-out set: the data notebook 07 and the
    benchmarks use (``make_data(n, seed)`` to train, ``data.held_out_data(n, seed)``
    to test, restricted to the training range). Returns a ``FittingTask``. ``n`` from 10 (fewer
    leave almost no held-out point inside the training range) to ``MAX_SAMPLES``."""
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


# --- Levenberg-Marquardt --------------------------------------------------------------


def jacobian(params, x):
    r"""How each prediction ``l2[i]`` moves with each parameter: shape ``(n, 3 h + 1)``.

    Columns in ``net.flatten``'s order ``[W0, b0, W1, b1]``. From ``l2 = l1 W1 + b1`` and
    ``l1 = sigmoid(x W0 + b0)``, for sample ``i`` and unit ``j``:

    - ``dl2/dW1_j = l1_ij`` and ``dl2/db1 = 1``;
    - ``dl2/db0_j = W1_j l1_ij (1 - l1_ij)`` (backprop's ``dz0`` for one sample, without
      the loss factor) and ``dl2/dW0_j = x_i dl2/db0_j``.

    Backprop sums these rows, weighted by ``dL/dl2``: ``J.T @ (2 r / n)`` is the gradient
    ``net.backward`` returns. Levenberg-Marquardt keeps the rows apart. ``params`` with shared
    biases, ``x`` ``(n, 1)``: see ``net.check_network``.
    """
    params, x = net.check_network(params, x)
    with np.errstate(over="ignore", invalid="ignore"):
        return _jacobian(params, x, net.forward(params, x)[1])


def _jacobian(params, x, cache):
    d_b0 = net.sigmoid_slope(cache["z0"]) * params["W1"].T  # (n, h)
    return np.hstack([x * d_b0, d_b0, cache["l1"], np.ones((len(x), 1))])


def least_squares_lm(residuals, jacobian, theta, max_iters=100, mu=MU_START, tol=1e-10):
    r"""Minimise ``sum(r**2)`` by Levenberg-Marquardt, from ``theta``.

    ``residuals(theta)`` returns the vector ``r`` and ``jacobian(theta)`` the matrix
    ``J = dr / dtheta``; ``jacobian`` is called only at points ``residuals`` has just been
    called at, so it may reuse that evaluation.

    Each iteration solves ``(J^T J + mu I) delta = -J^T r``. If ``theta + delta`` lowers the
    sum of squares the step is taken and ``mu`` shrinks (``/ MU_FACTOR``): trust the
    quadratic model more, towards the Gauss-Newton step. If not, ``mu`` grows
    (``* MU_FACTOR``) and the step is solved again: shorter, and turned towards
    ``-J^T r / mu``, a small gradient-descent step, which lowers the loss once ``mu`` is
    large enough. So the loss never rises. With ``mu = 0`` a step is the Gauss-Newton step,
    exact in one iteration when ``r`` is linear in ``theta`` (linear least squares).

    Stops after ``max_iters`` iterations, when a step lowers the sum of squares by less than
    ``tol`` times it, or when ``mu`` passes ``MU_MAX``. Returns ``(theta, sums)``: the final
    parameters and the sum of squares at the start of every iteration and at the end.

    ``theta``: a finite vector of at most ``MAX_DENSE`` entries; ``max_iters`` from 1 to
    ``MAX_ITERS``; ``mu`` and ``tol`` finite, >= 0 (``tol`` <= 1). ``residuals`` must return a
    finite vector at ``theta``, and ``jacobian`` a matrix of shape ``(len(r), len(theta))``.
    """
    theta = _check_lm(residuals, jacobian, theta, max_iters, mu, tol)
    r = _vector("residuals(theta)", residuals(theta))
    sse = float(r @ r)
    sums = [sse]
    eye = np.eye(len(theta))
    for _ in range(max_iters):
        J = jacobian(theta)
        if np.shape(J) != (len(r), len(theta)):
            raise ValueError(f"jacobian must return a matrix of shape {(len(r), len(theta))}, got {np.shape(J)}")
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


def _check_lm(residuals, jacobian, theta, max_iters, mu, tol):
    """``theta`` as a new float vector, after checking every argument of ``least_squares_lm``."""
    check_callable("residuals", residuals)
    check_callable("jacobian", jacobian)
    theta = np.array(real_array("theta", theta, ndim=1))
    if len(theta) > MAX_DENSE:
        raise ValueError(f"theta must have at most MAX_DENSE = {MAX_DENSE} entries, got {len(theta)}")
    check_int("max_iters", max_iters, 1, MAX_ITERS)
    check_number("mu", mu, 0)
    check_number("tol", tol, 0, 1)
    return theta


def _vector(name, r):
    r = real_array(name, r, finite=False, ndim=1)
    if not np.all(np.isfinite(r)):
        raise ValueError(f"{name} must be finite at the start, got {r[~np.isfinite(r)][:3]} among its values")
    return r


def levenberg_marquardt(params, x, y, max_iters=100):
    """Train with Levenberg-Marquardt on the MSE; returns a ``train.TrainResult``.

    The residual is the question's ``r = y - l2`` and ``J = dr/dtheta = -dl2/dtheta``.
    ``losses[k]`` is the MSE after ``k`` iterations (as for every trainer): one more entry
    than iterations taken, fewer than ``max_iters + 1`` when it stopped early. The loss
    never rises, so a run never diverges; only parameters whose loss is not finite to begin
    with are reported as ``diverged at epoch 0``, as ``train.train`` does. Bad input raises the same ``ValueError``
    as ``train.train``; the caller's ``params`` are copied, never modified.

    Where it ends depends on where it starts: ``fit_lm`` chooses the start. ``max_iters`` from 1
    to ``MAX_ITERS``; at most ``MAX_DENSE`` parameters (``J^T J`` is dense).
    """
    check_int("max_iters", max_iters, 1, MAX_ITERS)
    train.check_training_inputs(params, x, y)
    if net.flatten(params).size > MAX_DENSE:
        raise ValueError(f"params must have at most MAX_DENSE = {MAX_DENSE} entries for J^T J, "
                         f"got {net.flatten(params).size}")
    fast = FastNet(params, x, y)
    with np.errstate(all="ignore"):  # a wild trial step may overflow; it is rejected
        theta, sums = least_squares_lm(*_lm_functions(fast), net.flatten(params), max_iters)
    kept = net.unflatten(theta.copy(), params)
    if not math.isfinite(sums[0]):  # parameters so wild the loss is not even finite: as train reports it
        return train.TrainResult(np.array([]), kept, True, 0)
    return train.TrainResult(sums / fast.n, kept, False, None)


def _lm_functions(fast):
    """``residuals(theta) = y - l2`` and its Jacobian ``-dl2/dtheta``, from ``fastnet.FastNet``.

    The fast path of ``jacobian`` (the clear version; the tests compare the two): the
    transposed Jacobian is filled in place from what ``forward()`` leaves behind.
    """
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

    A sigmoid unit is useful where it is sloped: around its centre ``-b0 / W0``, over a
    width of about ``4 / |W0|``. Drawn at random, several units can share one stretch of
    the input, or sit flat beyond the data, and start with nothing to do. Nguyen and Widrow
    (1990) give every unit the same steepness, chosen so that the ``h`` sloped stretches
    together cover the input, and scatter the centres across it. Here:

    - ``|W0| = 2 * 0.7 * h / std(x)``. ``0.7 h`` is their steepness for a tanh unit and an
      input in ``[-1, 1]``; the logistic sigmoid needs twice it (``sigmoid(z) =
      (1 + tanh(z / 2)) / 2``). Mapping ``[-1, 1]`` onto one standard deviation either side
      of the mean, rather than onto ``[min x, max x]``, packs the units into the bulk of
      the data, where most of the squared error is.
    - Centres at ``h`` distinct training inputs drawn at random (so they follow the data's
      density), a random sign per unit.
    - ``W1`` uniform in ``[-0.5, 0.5]`` and ``b1 = 0``.

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
    return {
        "W0": W0,
        "b0": -W0 * centres,
        "W1": rng.uniform(-0.5, 0.5, size=(n_hidden, 1)),
        "b1": np.zeros((1, 1)),
    }


def fit_lm(x, y, n_hidden=10, seed=0, starts=4, probe_iters=20, max_iters=100):
    """Levenberg-Marquardt made reliable: a few starts, a short probe each, then the best.

    Where LM ends depends on where it starts: from some starts it settles for the parabola
    and leaves the ripple (training MSE near ``var`` of the ripple, 0.02), from others it
    fits part of the ripple too. A start's training loss after ``probe_iters`` iterations
    tells the two apart well, so: draw ``starts`` initialisations (``nguyen_widrow``), run
    each for ``probe_iters`` iterations, and continue only the one with the lowest
    *training* loss (the held-out set is never looked at) up to ``max_iters`` iterations in
    all. Costs ``(starts - 1) * probe_iters`` extra iterations.

    Returns the chosen run's ``train.TrainResult`` (its losses from its own start). The
    starts are drawn from ``numpy.random.SeedSequence(seed)``, so a seed fixes everything.
    ``x``, ``y`` as for ``train.train``; at most ``MAX_ITERS`` iterations in all
    (``starts * probe_iters + max_iters``).
    """
    train.check_training_inputs(nguyen_widrow(x, n_hidden, seed), x, y)
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
