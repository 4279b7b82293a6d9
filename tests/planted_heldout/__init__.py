"""A held-out suite of small numpy networks with planted bugs, for measuring ``helpers.doctor`` (issue 14).

Written by a session that never read ``helpers/doctor.py``, ``helpers/gradient_mistakes.py`` nor the
earlier suite in ``tests/planted/``: the doctor was never tuned on these networks. Each module is one
network written from scratch in plain numpy (no ``helpers`` import), in its own style (classes,
closures, lists of layers, the question's ``+=`` deltas, 1-D biases, torch's layout, float32), and
exposes::

    EXPECTED = "<category>"       # one of CATEGORIES
    DESCRIPTION = "what is planted, in a learner's words"
    def case(): ...               # dict: params, x, y, grad_fn, lr, predict, optionally x_raw, loss

``grad_fn`` follows ``params[k] -= lr * grad[k]``; code that adds deltas returns them negated. ``loss`` is
given when the author trains something other than plain mean squared error. ``case()`` builds fresh
arrays (and a fresh ``grad_fn``, which may keep state: see the stale-gradient modules) on every call.
The contract and each planted bug are checked, without the doctor, in ``test_planted_heldout_contract.py``.
"""

import importlib
import pkgutil

CATEGORIES = (
    "correct",
    "correct_unconventional",
    "missing_activation_slope",
    "missing_input_in_dW0",
    "dW1_from_preactivation",
    "one_param_sign_flipped",
    "all_signs_flipped",
    "bias_grad_averaged",
    "gradient_too_large_summed",
    "question_gradient",
    "transposed_gradient",
    "per_sample_biases",
    "input_var_not_std",
    "unscaled_input",
    "unscaled_target",
    "lr_too_large",
    "lr_too_small",
    "stale_gradient",
    "saturated_hidden_units",
    "dead_relu",
    "target_unrelated",
    "y_shape_1d",
)

# every network module of this folder (the contract test lives here too and is not a network)
MODULES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("test_")))


def load(name):
    """Import one network module by its name, e.g. ``load("tanh_lr_too_large")``."""
    if name not in MODULES:
        raise ValueError(f"name: got {name!r}, expected one of the {len(MODULES)} modules in MODULES")
    return importlib.import_module(f"{__name__}.{name}")


def load_all():
    """Every network module, as a dict name -> module, in the order of MODULES."""
    return {name: load(name) for name in MODULES}
