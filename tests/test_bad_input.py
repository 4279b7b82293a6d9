"""Bad input, tried as a new user would: the promise of the README, tested call by call.

The promise: every public function of ``helpers`` given an argument it cannot use raises a
``ValueError`` whose message names the argument, says what it got and what was expected;
otherwise it returns the right answer. Never another exception type, never a warning, never a
hang, never a silently wrong answer, and nothing passed in is ever modified.

How: each public function has a spec, one valid call and the *kind* of each argument. Each
argument in turn is replaced by every bad value of its kind (types: ``None``, a string, a list,
a dict, object/string/complex/bool arrays; shapes: wrong ``ndim``, ``(n,)`` for ``(n, 1)``, a
mismatched ``n``, empty; values: NaN, inf, a huge finite 1e300, zero/negative/huge sizes, a
bool for a number, float or string seeds, unknown names), and the call is judged by the
value's verdict:

- ``REFUSE``: a ``ValueError`` naming the argument is the only right answer;
- ``SAME``: the value means the same as the valid one (a list for an array, ``np.int64(3)``
  for ``3``): either that ``ValueError`` or exactly the valid call's result;
- ``ANY``: a huge finite value: that ``ValueError`` or any result, computed without a warning.

Each call runs with warnings as errors and a time limit of ``LIMIT`` seconds (``SIGALRM``).
"""
import copy
import dataclasses
import math
import re
import signal
import sys
import time
import warnings

import numpy as np
import pytest

from helpers import (bugs, checks, data, doctor, fastnet, gradcheck, gradient_mistakes, live, net, optim, original,
                     outcome, stability, train, validate)

REFUSE, SAME, ANY, GRADED = "refuse", "same", "any", "graded"
LIMIT = 4.0  # seconds per call; the valid calls take milliseconds

N, H = 12, 2
X = np.linspace(-1.5, 1.5, N).reshape(N, 1)
Y = X**2 - 0.2 * np.cos(3 * np.pi * X)
P = net.init_params(H, seed=0)
A3 = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 0.25]])  # a symmetric operator for power iteration


def _with(a, index, value):
    a = np.array(a, dtype=float)
    a.flat[index] = value
    return a


# --- the kinds of argument and their bad values ---------------------------------------------------

def array_cases(v, ndim=True):
    """Bad values for an array of real numbers ``v`` of any shape."""
    yield "None", None, REFUSE
    yield "str", "abc", REFUSE
    yield "dict", {"a": 1.0}, REFUSE
    yield "object()", object(), REFUSE
    yield "object array", np.asarray(v).astype(object), SAME
    yield "str array", np.asarray(v).astype(str), REFUSE
    yield "complex array", np.asarray(v) + 0j, REFUSE
    yield "bool array", np.asarray(v) > 0, REFUSE
    yield "list", np.asarray(v).tolist(), SAME
    yield "empty", np.asarray(v)[:0], REFUSE
    yield "NaN", _with(v, 0, np.nan), REFUSE
    yield "inf", _with(v, -1, np.inf), REFUSE
    yield "huge", np.asarray(v) * 1e300, ANY


def column_cases(v):
    """Bad values for an ``(n, 1)`` column ``v``: the array cases plus the wrong shapes."""
    yield from array_cases(v)
    yield "(n,)", v.ravel(), REFUSE
    yield "(1, n)", v.T, REFUSE
    yield "3-D", v[None], REFUSE
    yield "scalar", 1.0, REFUSE


def params_cases(p):
    yield "None", None, REFUSE
    yield "str", "abc", REFUSE
    yield "list", list(p.values()), REFUSE
    yield "empty dict", {}, REFUSE
    yield "no b1", {k: v for k, v in p.items() if k != "b1"}, REFUSE
    yield "object arrays", {k: v.astype(object) for k, v in p.items()}, SAME
    yield "lists", {k: v.tolist() for k, v in p.items()}, SAME
    yield "str arrays", {k: v.astype(str) for k, v in p.items()}, REFUSE
    yield "complex arrays", {k: v + 0j for k, v in p.items()}, REFUSE
    yield "bool W0", dict(p, W0=p["W0"] > 0), REFUSE
    yield "W0 transposed", dict(p, W0=p["W0"].T.copy()), REFUSE
    yield "W1 3-D", dict(p, W1=p["W1"][None]), REFUSE
    yield "NaN W0", dict(p, W0=_with(p["W0"], 0, np.nan)), REFUSE
    yield "inf b1", dict(p, b1=_with(p["b1"], 0, np.inf)), REFUSE
    yield "huge", {k: v * 1e300 for k, v in p.items()}, ANY


def int_cases(v, low, high):
    yield "None", None, REFUSE
    yield "str", str(v), REFUSE
    yield "float", float(v), REFUSE
    yield "fraction", v + 0.5, REFUSE
    yield "bool", True, REFUSE
    yield "below", low - 1, REFUSE
    if high is not None:
        yield "above", high + 1, REFUSE
    yield "10**12", 10**12, REFUSE
    yield "NaN", math.nan, REFUSE
    yield "inf", math.inf, REFUSE
    yield "np.int64", np.int64(v), SAME


def number_cases(v, low, high, low_open, high_open):
    yield "None", None, REFUSE
    yield "str", str(v), REFUSE
    yield "bool", True, REFUSE
    yield "list", [v], REFUSE
    yield "complex", complex(v), REFUSE
    yield "NaN", math.nan, REFUSE
    yield "inf", math.inf, REFUSE
    yield "-inf", -math.inf, REFUSE
    yield "np.float64", np.float64(v), SAME
    if low > -math.inf:
        yield "at low" if low_open else "below low", low if low_open else low - 1.0, REFUSE
    if high < math.inf:
        yield "at high" if high_open else "above high", high if high_open else high + 1.0, REFUSE
    if high == math.inf:
        yield "huge", 1e300, ANY


@dataclasses.dataclass
class Kind:
    """An argument: its valid value and where its bad values come from."""

    valid: object
    cases: object = None  # valid -> iterable of (label, value, verdict); None: not varied

    def bad(self):
        return [] if self.cases is None else list(self.cases(self.valid))


def Col(v=X):
    return Kind(v, column_cases)


def Arr(v):
    return Kind(v, array_cases)


def Params(p=P):
    return Kind(p, params_cases)


def Int(v, low=1, high=None):
    return Kind(v, lambda v: int_cases(v, low, high))


def Seed(v=0):
    return Kind(v, lambda v: [("None", None, REFUSE), ("float", 1.5, REFUSE), ("str", "a", REFUSE),
                              ("negative", -1, REFUSE), ("bool", True, REFUSE), ("2**64", 2**64, REFUSE),
                              ("np.int64", np.int64(v), SAME)])


def Num(v, low=-math.inf, high=math.inf, low_open=False, high_open=False):
    return Kind(v, lambda v: number_cases(v, low, high, low_open, high_open))


def Pos(v):
    return Num(v, 0.0, low_open=True)


def Frac(v):
    return Num(v, 0.0, 1.0, high_open=True)


def Fn(f):
    return Kind(f, lambda f: [("None", None, REFUSE), ("str", "f", REFUSE), ("number", 3, REFUSE)])


def Flag(v):
    return Kind(v, lambda v: [("None", None, REFUSE), ("str", "yes", REFUSE), ("int", int(v), REFUSE),
                              ("array", np.array([v]), REFUSE), ("np.bool_", np.bool_(v), SAME)])


def Obj(v):
    return Kind(v, lambda v: [("None", None, REFUSE), ("str", "abc", REFUSE), ("number", 3, REFUSE),
                              ("empty dict", {}, REFUSE)])


def Fixed(v):
    return Kind(v)


def Optional(kind):
    """``kind``, for an argument whose default ``None`` means 'compute it': ``None`` is not bad."""
    return Kind(kind.valid, lambda v: [c for c in kind.cases(v) if c[0] != "None"])


@dataclasses.dataclass
class Spec:
    """One public function, a valid call, and which arguments share the sample axis."""

    name: str
    func: object
    args: dict
    paired: tuple = ()        # these arrays must have the same number of rows
    relax: dict = dataclasses.field(default_factory=dict)  # (argument, label) -> verdict
    post: object = None       # result -> something comparable (for callables and objects)


def spec(name, func, paired=(), relax=None, post=None, **args):
    return Spec(name, func, args, paired, relax or {}, post)


# --- the public functions -------------------------------------------------------------------------

RUN = original.run_original(epochs=2, fix=original.FIXES)
CACHE = net.forward(P, X)[1]
RESULT = train.train(P, X, Y, 0.1, 3)
def ieee(*args):
    """Relaxations for functions that compute through NaN and inf (NaN in, NaN out: the IEEE answer)."""
    cases = ("NaN", "inf", "NaN W0", "inf b1")
    return {(arg, label): ANY for arg in args for label in cases}


NAN_OK = ieee("z") | {("z", "empty"): ANY}


def _compare_step(step):
    theta, grad = np.arange(3.0), np.ones(3)
    step(theta, grad)
    return theta


CORE = [
    spec("validate.check_int", lambda value: validate.check_int("value", value, 1, 10), value=Int(3, 1, 10)),
    spec("validate.check_seed", lambda value: validate.check_seed("value", value), value=Seed()),
    spec("validate.check_number", lambda value: validate.check_number("value", value, 0, low_open=True),
         value=Pos(0.1)),
    spec("data.make_data", data.make_data, n=Int(N, 1, validate.MAX_SAMPLES), seed=Seed()),
    spec("data.held_out_data", data.held_out_data, n=Int(N, 1, validate.MAX_SAMPLES), seed=Seed()),
    spec("data.standardize", data.standardize, a=Arr(X), mean=Optional(Num(0.5)), std=Optional(Pos(2.0))),
    spec("data.standardize_with_var", data.standardize_with_var, a=Arr(X)),
    spec("data.in_training_range", data.in_training_range,
         relax={("x_new", "(n,)"): SAME, ("x_new", "empty"): ANY}, x_new=Col(X[::2]), x_train=Arr(X)),
    spec("net.sigmoid", net.sigmoid, relax=NAN_OK, z=Arr(X)),
    spec("net.sigmoid_slope", net.sigmoid_slope, relax=NAN_OK, z=Arr(X)),
    spec("net.expected_shapes", net.expected_shapes, n_hidden=Int(H, 1, validate.MAX_HIDDEN)),
    spec("net.init_params", net.init_params, n_hidden=Int(H, 1, validate.MAX_HIDDEN), seed=Seed()),
    spec("net.check_params", net.check_params, relax=ieee("params"), params=Params(),
         n_samples=Optional(Int(N, 0, validate.MAX_SAMPLES))),
    spec("net.flatten", net.flatten, relax=ieee("params") | {("params", "W0 transposed"): ANY}, params=Params()),
    spec("net.unflatten", net.unflatten, relax=ieee("vector"), vector=Arr(net.flatten(P)), like=Fixed(None)),
    spec("net.param_slices", net.param_slices, size=Int(3 * H + 1, 4), like=Fixed(None)),
    spec("net.count_saturated", net.count_saturated, l1=Arr(CACHE["l1"])),
    spec("net.forward", net.forward, relax=ieee("params", "x"), params=Params(), x=Col()),
    spec("net.mse", net.mse, paired=("y_hat", "y"), relax=ieee("y_hat", "y"), y_hat=Col(CACHE["l2"]), y=Col(Y)),
    spec("net.backward", net.backward, paired=("y", "dl2"), relax=ieee("params", "y"), params=Params(),
         cache=Obj(CACHE), y=Col(Y), dl2=Fixed(None)),
    spec("net.bias_gradient", net.bias_gradient, relax=ieee("per_sample"), per_sample=Arr(CACHE["l1"]),
         shape=Fixed((1, H))),
    spec("gradcheck.numerical_gradient", gradcheck.numerical_gradient,
         loss_fn=Fn(lambda p: net.mse(net.forward(p, X)[0], Y)), params=Params(), eps=Num(1e-6, 0, 1, low_open=True)),
    spec("gradcheck.relative_error", gradcheck.relative_error, paired=("a", "b"), a=Col(Y), b=Col(Y + 1e-3)),
    spec("gradcheck.gradient_check", gradcheck.gradient_check, paired=("x", "y"), params=Params(), x=Col(),
         y=Col(Y), eps=Num(1e-5, 0, 1, low_open=True)),
    spec("net.check_network", net.check_network, params=Params(), x=Col()),
    spec("net.check_inputs", net.check_inputs, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y)),
    spec("train.train", train.train, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y), lr=Pos(0.1),
         epochs=Int(3, 1, validate.MAX_EPOCHS)),
    spec("train.gradient_step", train.gradient_step, post=_compare_step, lr=Pos(0.1)),
    spec("train.descend", train.descend, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y),
         epochs=Int(3, 1, validate.MAX_EPOCHS), update=Fn(train.gradient_step(0.1)),
         question_gradient=Flag(False), snapshot_every=Int(1, 0), chunk=Int(2, 0), details=Flag(True),
         per_sample=Flag(True)),
    spec("fastnet.FastNet", fastnet.FastNet, paired=("x", "y"), post=lambda f: f.forward(), params=Params(),
         x=Col(), y=Col(Y)),
    spec("outcome.divergence_bound", outcome.divergence_bound, first_loss=Num(5.0, 0), y=Arr(Y)),
    spec("outcome.counts_as_change", outcome.counts_as_change, change=Num(1.0), loss=Num(5.0, 0),
         var_y=Num(2.0, 0)),
    spec("outcome.classify", outcome.classify, losses=Arr(RESULT.losses), var_y=Num(2.0, 0), diverged=Flag(False)),
    spec("original.run_original", original.run_original, seed=Seed(), epochs=Int(2, 1, validate.MAX_EPOCHS),
         fix=Kind(("std",), lambda v: [("None", None, REFUSE), ("unknown", "nope", REFUSE), ("number", 3, REFUSE),
                                       ("unknown in list", ["nope"], REFUSE), ("dict", {"std": 1}, REFUSE),
                                       ("one name", "std", SAME)])),
    spec("original.question_gradient", original.question_gradient, paired=("x", "y"), params=Params(), x=Col(),
         y=Col(Y)),
    spec("original.question_prediction", original.question_prediction, params=Params(), x=Col()),
    spec("original.OriginalRun.predict", RUN.predict, x_raw=Arr(X)),
    spec("stability.check_inputs", stability.check_inputs, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y)),
    spec("stability.hessian_vector_product", stability.hessian_vector_product, paired=("x", "y"), params=Params(),
         x=Col(), y=Col(Y), v=Arr(np.ones(3 * H + 1))),
    spec("stability.hessian_operator", stability.hessian_operator, paired=("x", "y"),
         post=lambda mv: mv(np.ones(3 * H + 1)), params=Params(), x=Col(), y=Col(Y)),
    spec("stability.dense_hessian", stability.dense_hessian, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y)),
    spec("stability.power_iteration", stability.power_iteration, post=lambda r: r[0],
         matvec=Fn(lambda v: A3 @ v), dim=Int(3, 1, validate.MAX_SAMPLES), iters=Int(500, 1, validate.MAX_ITERS),
         tol=Frac(1e-6), seed=Seed(), start=Optional(Arr(np.ones(3)))),
    spec("stability.top_eigenvalue", stability.top_eigenvalue, matvec=Fn(lambda v: A3 @ v),
         dim=Int(3, 1, validate.MAX_SAMPLES), iters=Int(500, 1, validate.MAX_ITERS), tol=Frac(1e-6), seed=Seed()),
    spec("stability.sharpness", stability.sharpness, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y),
         iters=Int(500, 1, validate.MAX_ITERS), tol=Frac(1e-4), seed=Seed()),
    spec("stability.max_stable_lr", stability.max_stable_lr, paired=("x", "y"), params=Params(), x=Col(),
         y=Col(Y)),
    spec("stability.output_layer_sharpness", stability.output_layer_sharpness, params=Params(), x=Col()),
    spec("stability.train_output_layer", stability.train_output_layer, paired=("x", "y"), params=Params(),
         x=Col(), y=Col(Y), lr=Pos(0.1), epochs=Int(3, 1, validate.MAX_EPOCHS)),
    spec("stability.find_threshold", stability.find_threshold, diverges=Fn(lambda lr: lr > 1.0), lo=Pos(0.1),
         hi=Pos(10.0), rel=Pos(1e-3)),
    spec("stability.classify_run", stability.classify_run, result=Obj(RESULT), y=Arr(Y)),
    spec("stability.saturated_units", stability.saturated_units, params=Params(), x=Col()),
    spec("stability.sweep", stability.sweep, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y),
         lrs=Arr([0.01, 0.1]), epochs=Int(3, 1, validate.MAX_EPOCHS)),
    spec("stability.track_sharpness", stability.track_sharpness, paired=("x", "y"), params=Params(), x=Col(),
         y=Col(Y), lr=Pos(0.1), epochs=Int(4, 1, validate.MAX_EPOCHS), every=Int(2, 1, validate.MAX_EPOCHS),
         tol=Frac(1e-3)),
    spec("optim.momentum", optim.momentum, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y), lr=Pos(0.1),
         epochs=Int(3, 1, validate.MAX_EPOCHS), beta=Frac(0.9)),
    spec("optim.adam", optim.adam, paired=("x", "y"), params=Params(), x=Col(), y=Col(Y), lr=Pos(0.01),
         epochs=Int(3, 1, validate.MAX_EPOCHS), beta1=Frac(0.9), beta2=Frac(0.999), eps=Pos(1e-8)),
    spec("optim.fitting_task", optim.fitting_task, seed=Seed(), n=Int(50, 10, validate.MAX_SAMPLES)),
    spec("optim.jacobian", optim.jacobian, params=Params(), x=Col()),
    spec("optim.levenberg_marquardt", optim.levenberg_marquardt, paired=("x", "y"), params=Params(), x=Col(),
         y=Col(Y), max_iters=Int(3, 1, validate.MAX_ITERS)),
    spec("optim.nguyen_widrow", optim.nguyen_widrow, x=Arr(X), n_hidden=Int(H, 1, N), seed=Seed()),
    spec("optim.fit_lm", optim.fit_lm, paired=("x", "y"), x=Col(), y=Col(Y), n_hidden=Int(H, 1, N), seed=Seed(),
         starts=Int(2), probe_iters=Int(2), max_iters=Int(3)),
]


# --- the modules other sessions own: bugs, live, doctor, gradient_mistakes, checks ---------------

BUG_NAMES = Kind(("std",), lambda v: [("None", None, REFUSE), ("unknown", "nope", REFUSE), ("number", 3, REFUSE),
                                      ("dict", {"std": 1}, REFUSE), ("one name", "std", SAME)])
BUGS_RUN = bugs.run(("std",), 0.1, 5, 3, 0)


def graded(*args):
    """An exercise check's answers: garbage gets a failing ``CheckResult``, never an exception."""
    return {(arg, label): GRADED for arg in args for label in ("None", "str", "number")}


def true_gradient(params, x, y):
    """The mean squared error's gradient, as a learner's ``grad_fn`` would return it."""
    return net.backward(params, net.forward(params, x)[1], y)


FOREIGN = [
    spec("bugs.check_settings", bugs.check_settings, lr=Num(0.1, 1e-6, 100), epochs=Int(5, 1, validate.MAX_EPOCHS),
         n_hidden=Int(3, 1, 1000), seed=Seed()),
    spec("bugs.inputs", bugs.inputs, bugs=BUG_NAMES),
    spec("bugs.initial_params", bugs.initial_params, bugs=BUG_NAMES, n_hidden=Int(3, 1, 1000), seed=Seed()),
    spec("bugs.run", bugs.run, bugs=BUG_NAMES, lr=Num(0.1, 1e-6, 100), epochs=Int(5, 1, validate.MAX_EPOCHS),
         n_hidden=Int(3, 1, 1000), seed=Seed()),
    spec("bugs.status", bugs.status, run=Obj(BUGS_RUN)),
    spec("live.lr_scale_html", live.lr_scale_html, lr=Pos(0.1), limit=Optional(Pos(0.5))),
    spec("doctor.diagnose", doctor.diagnose, paired=("x", "y"), relax={("y", "(n,)"): ANY},  # a finding, by design
         params=Params(), x=Col(), y=Col(Y),
         grad_fn=Fn(true_gradient), lr=Pos(0.1), steps=Int(3, 1, doctor.MAX_STEPS)),
    spec("doctor.stability_limit", doctor.stability_limit, paired=("x", "y"), relax={("y", "(n,)"): SAME},
         params=Params(), x=Col(), y=Col(Y)),
    spec("gradient_mistakes.format_number", gradient_mistakes.format_number,
         relax={("v", "NaN"): ANY, ("v", "inf"): ANY, ("v", "-inf"): ANY}, v=Num(3.0)),
    spec("gradient_mistakes.near", gradient_mistakes.near, a=Num(1.0), b=Num(1.01), tol=Pos(0.02)),
    spec("gradient_mistakes.name_factor", gradient_mistakes.name_factor, c=Num(12.0), n=Int(N),
         mean_residual=Fixed(None)),
    # documented: G's NaN entries were not measured and are skipped; the comparison runs over G's keys
    spec("gradient_mistakes.compare_gradients", gradient_mistakes.compare_gradients,
         relax={("G", "NaN W0"): ANY, ("G", "no b1"): ANY}, g=Params(P), G=Params(P)),
    spec("checks.check_answer", checks.check_answer, relax=graded("answer"), question=Fixed("negative-loss"),
         answer=Kind("b", lambda v: [("None", None, GRADED), ("str", "zz", GRADED), ("number", 3, GRADED)])),
] + [spec(f"checks.{name}", lambda answer, check=getattr(checks, name): check(answer), relax=graded("answer"),
          answer=Fn(lambda *a: None))
     for name in ("check_bias_init", "check_bias_gradients", "check_standardize", "check_scale_test",
                  "check_gradients", "check_largest_stable_lr", "check_loss", "check_predict",
                  "check_numerical_gradient", "check_relative_error", "check_find_the_bug")]


# --- running one call -----------------------------------------------------------------------------

class Hang(Exception):
    """The call ran past ``LIMIT`` seconds."""


def _alarm(signum, frame):
    raise Hang(f"still running after {LIMIT} s")


def call(func, kwargs):
    """``func(**kwargs)`` with warnings as errors and a time limit; returns ``(result, error)``.

    The limit is a ``SIGALRM`` where there is one (not on Windows: there a call that ran too long
    is reported after it returns).
    """
    alarm = hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, LIMIT)
    start = time.monotonic()
    try:
        with warnings.catch_warnings(), np.errstate(all="warn", under="ignore"):  # numpy's defaults, as a user has them
            warnings.simplefilter("error")
            result = func(**kwargs)
        took = time.monotonic() - start
        return (None, Hang(f"ran {took:.0f} s")) if took > LIMIT else (result, None)
    except Exception as err:  # noqa: BLE001: every exception is a verdict here
        return None, err
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def same(a, b):
    """Equal results: arrays (NaN equal to NaN), dicts, sequences, dataclasses, numbers."""
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return type(a) is type(b) and same(dataclasses.asdict(a), dataclasses.asdict(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same(u, v) for u, v in zip(a, b))
    if isinstance(a, (np.ndarray, float, int, np.number)) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        numeric = a.dtype.kind in "iufc" and b.dtype.kind in "iufc"
        return a.shape == b.shape and a.dtype.kind == b.dtype.kind and bool(np.array_equal(a, b, equal_nan=numeric))
    return a == b


DATA = (np.ndarray, dict, list, tuple)


def _snapshot(kwargs):
    return {k: copy.deepcopy(v) for k, v in kwargs.items() if isinstance(v, DATA)}


def _unchanged(before, after):
    """Whether every array, dict, list or tuple passed in still holds what it held."""
    return all(same(before[k], after[k]) for k in before)


def cases(specs):
    """Every (spec, argument, label, value, verdict), the spec's valid call included as label 'valid'."""
    out = []
    for s in specs:
        out.append(pytest.param(s, None, "valid", None, "valid", id=f"{s.name}:valid"))
        for arg, kind in s.args.items():
            bad = kind.bad()
            if arg in s.paired and isinstance(kind.valid, np.ndarray):
                bad.append(("fewer rows", kind.valid[:-1], REFUSE))
            for label, value, verdict in bad:
                verdict = s.relax.get((arg, label), verdict)
                out.append(pytest.param(s, arg, label, value, verdict, id=f"{s.name}:{arg}={label}"))
    return out


_EXPECTED = {}


def judge(s, arg, label, value, verdict):
    """The verdict on one call, or None when it kept the promise (a short reason otherwise)."""
    valid = {k: kind.valid for k, kind in s.args.items()}
    if s.name not in _EXPECTED:
        _EXPECTED[s.name] = call(s.func, valid)
    expected, err = _EXPECTED[s.name]
    if err is not None:
        return f"the valid call failed: {type(err).__name__}: {err}"
    kwargs = dict(valid) if arg is None else dict(valid, **{arg: value})
    before = _snapshot(kwargs)
    result, err = call(s.func, kwargs)
    post = s.post or (lambda r: r)
    if not _unchanged(before, kwargs):
        return "modified its input"
    if isinstance(err, Hang):
        return "hang"
    if isinstance(err, Warning):
        return f"warning: {type(err).__name__}: {err}"
    if err is not None and not isinstance(err, ValueError):
        return f"other exception: {type(err).__name__}: {err}"
    if err is not None:
        message = str(err)
        if verdict == "valid":
            return f"refused a valid call: {message}"
        names = (arg,) + (net.PARAM_NAMES if isinstance(s.args[arg].valid, dict) else ())  # params: an entry's name
        said_what = "got" in message or " has " in message  # "W0 has shape (2, 1); expected (1, h)"
        said_expected = "expected" in message or "must" in message
        if not any(name in message for name in names) or not said_what or not said_expected:
            return f"unclear message (must name {arg!r}, say what it got and what was expected): {message}"
        return None
    if verdict == GRADED:  # an exercise check never raises for an answer: it says what is wrong with it
        return None if isinstance(result, checks.CheckResult) and not result.passed else \
            f"a bad answer must give a 'NOT YET' CheckResult, got {validate.describe(result)}"
    if verdict == REFUSE:
        return f"accepted silently (returned {validate.describe(result)})"
    if verdict in (SAME, "valid") and not same(post(result), post(expected)):
        return "silently wrong: a different result from the valid call"
    return None


@pytest.mark.parametrize("s, arg, label, value, verdict", cases(CORE))
def test_bad_input_is_refused_clearly_or_computed_right(s, arg, label, value, verdict):
    problem = judge(s, arg, label, value, verdict)
    assert problem is None, f"{s.name}({arg}={label}): {problem}"


@pytest.mark.parametrize("s, arg, label, value, verdict", cases(FOREIGN))
def test_bad_input_to_bugs_live_doctor_and_checks(s, arg, label, value, verdict):
    problem = judge(s, arg, label, value, verdict)
    assert problem is None, f"{s.name}({arg}={label}): {problem}"


# --- the cases the issue names, one by one ---------------------------------------------------------

def refuses(func, *args, match, **kwargs):
    """``func`` raises a ``ValueError`` matching ``match``, without a warning and within ``LIMIT`` s."""
    result, err = call(lambda: func(*args, **kwargs), {})
    assert isinstance(err, ValueError), f"expected a ValueError, got {err!r} / {result!r:.80}"
    assert re.search(match, str(err)), str(err)
    return str(err)


def test_broadcasting_n_against_n_by_1_is_refused_not_averaged():
    # Identical data: a right answer is 0; broadcast to (n, n) it is 2 var(y), the old 38.45-style number.
    refuses(net.mse, Y.ravel(), Y, match=r"^y_hat and y must have the same shape .* y_hat \(12,\) and y \(12, 1\)")
    refuses(gradcheck.relative_error, Y.ravel(), Y, match=r"^a and b must have the same shape")
    assert net.mse(Y, Y) == 0.0 and gradcheck.relative_error(Y, Y) == 0.0


def test_a_string_array_is_not_a_relative_error_of_zero():
    refuses(gradcheck.relative_error, Y, Y.astype(str), match=r"^b must be an array of real numbers .* dtype <U")


def test_huge_finite_inputs_standardize_without_a_warning_like_their_scaled_copy():
    # standardize is scale-invariant: the huge input must give what the same numbers / 1e300 give.
    huge, small = call(data.standardize, {"a": [1e300, -1e300, 3e299]}), call(data.standardize, {"a": [1, -1, 0.3]})
    assert huge[1] is None and small[1] is None
    np.testing.assert_allclose(huge[0], small[0], rtol=1e-12)
    refuses(data.standardize_with_var, np.ones(5), match=r"^a must vary: its variance is 0")


@pytest.mark.parametrize("std, got", [(-0.1, "-0.1"), ("0.1", "'0.1'"), (True, "True"), (0.0, "0.0")])
def test_standardize_says_the_given_std_must_be_positive(std, got):
    refuses(data.standardize, X, std=std, match=rf"^std must be a positive finite number, got {got}$")


def test_sharpness_of_huge_parameters_is_refused_in_words():
    huge = {k: v * 1e300 for k, v in P.items()}
    refuses(stability.sharpness, huge, X, Y, match=r"^params.* must give .* finite .* float64")


def test_loops_that_could_hang_refuse_their_arguments():
    step = lambda lr: lr > 1.0  # noqa: E731
    refuses(stability.find_threshold, step, 0.1, math.inf, match=r"^hi must be a positive finite number, got inf")
    for rel in (0.0, -1e-3, math.nan, 1e-300):
        refuses(stability.find_threshold, step, 0.1, 10.0, rel=rel, match=r"^rel must be a finite number >= 1e-12")
    refuses(stability.track_sharpness, P, X, Y, 0.1, math.inf, 1, match=r"^epochs must be an integer")
    assert abs(stability.find_threshold(step, 0.1, 10.0) - 1.0) < 2e-3  # the bisection itself still works


def test_nan_parameters_are_an_error_not_a_divergence():
    bad = dict(P, W0=_with(P["W0"], 0, np.nan))
    refuses(train.train, bad, X, Y, 0.1, 5, match=r"^params\['W0'\] must be finite")
    refuses(gradcheck.gradient_check, bad, X, Y, match=r"^params\['W0'\] must be finite")


def test_meaningless_settings_are_refused():
    refuses(optim.adam, P, X, Y, 0.01, 5, eps=math.inf, match=r"^eps must be a positive finite number, got inf")
    refuses(net.expected_shapes, -1, match=r"^n_hidden must be an integer >= 1 and <= 10000, got -1")
    refuses(net.unflatten, np.arange(14.0), match=r"^vector must have 3 h \+ 1 entries .* got 14 entries")
    assert len(net.unflatten(np.arange(13.0))["W1"]) == 4  # 3 h + 1 = 13: h = 4, nothing dropped


def test_fitting_task_says_what_is_wrong_with_a_tiny_n():
    refuses(optim.fitting_task, n=2, match=r"^n must be an integer >= 10 .*, got 2$")


def test_the_battery_has_the_size_the_issue_asks_for():
    # about 2,500 calls over every public function: a spec for each name in each module's __all__
    # that is a function (classes and constants aside), so a new public function cannot slip past.
    covered = {s.name for s in CORE + FOREIGN}
    for module in (data, net, gradcheck, train, fastnet, outcome, original, stability, optim):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not isinstance(obj, type) and obj.__module__ == module.__name__:
                assert f"{module.__name__.split('.')[-1]}.{name}" in covered, name
    assert len(cases(CORE)) + len(cases(FOREIGN)) > 2500


def _unclear(y_hat, y):
    if np.ndim(y_hat) != 2:
        raise ValueError("shapes differ")  # names nothing, says nothing
    return 0.0


def test_the_judge_catches_each_kind_of_broken_promise(monkeypatch):
    # The battery's own witness: the unchecked forms it replaced must each be caught, by kind.
    monkeypatch.setattr(sys.modules[__name__], "LIMIT", 0.5)
    broken = {
        "accepted silently": lambda y_hat, y: float(np.mean((y_hat - y) ** 2)),  # the (n,) vs (n, 1) broadcast
        "other exception": lambda y_hat, y: len(y_hat[0]) * 0.0,  # TypeError for None, KeyError for a dict
        "warning": lambda y_hat, y: float(np.mean(np.exp(np.asarray(y_hat, dtype=float)))),  # overflow at 1e300
        "hang": lambda y_hat, y: time.sleep(2.0) if np.shape(y_hat) == (N,) else 0.0,
        "unclear message": _unclear,
    }
    for kind, func in broken.items():
        s = spec(f"broken {kind}", func, y_hat=Col(Y), y=Col(Y))
        problems = [judge(s, *p.values[1:]) for p in cases([s])[1:]]
        assert any(p and p.startswith(kind) for p in problems), (kind, problems)
