"""Independent planted-bug suite for the network doctor (issue 14): one small numpy network per module.

Each module defines EXPECTED (a category below), DESCRIPTION (the planted mistake in a learner's words)
and case() -> dict(params, x, y, grad_fn, lr, predict[, x_raw, loss]); see README.md for the contract.
The modules import nothing from `helpers`: they were written without reading the doctor's code.
"""
import importlib

CATEGORIES = (
    "correct", "correct_unconventional",
    "missing_activation_slope", "missing_input_in_dW0", "dW1_from_preactivation",
    "one_param_sign_flipped", "all_signs_flipped", "bias_grad_averaged", "gradient_too_large_summed",
    "question_gradient", "transposed_gradient", "per_sample_biases", "input_var_not_std",
    "unscaled_input", "unscaled_target", "lr_too_large", "lr_too_small", "stale_gradient",
    "saturated_hidden_units", "dead_relu", "target_unrelated", "y_shape_1d",
)

# Every network of the suite, by module name (<kind>_<category or variant>, kind = sigmoid, tanh or relu).
MODULES = (
    "relu_all_signs_flipped",
    "relu_correct",
    "relu_correct_ripple",
    "relu_dead_relu",
    "relu_gradient_too_large_summed",
    "relu_lr_too_large",
    "relu_lr_too_small",
    "relu_missing_activation_slope",
    "relu_one_param_sign_flipped",
    "relu_per_sample_biases",
    "relu_question_gradient",
    "relu_unconventional_1d_biases",
    "relu_unconventional_weights_as_rows",
    "relu_unscaled_input",
    "relu_unscaled_target",
    "sigmoid_all_signs_flipped",
    "sigmoid_bias_grad_averaged",
    "sigmoid_correct",
    "sigmoid_correct_deltas",
    "sigmoid_dW1_from_preactivation",
    "sigmoid_gradient_too_large_summed",
    "sigmoid_input_var_not_std",
    "sigmoid_lr_too_large",
    "sigmoid_lr_too_small",
    "sigmoid_missing_activation_slope",
    "sigmoid_missing_input_in_dW0",
    "sigmoid_one_param_sign_flipped",
    "sigmoid_per_sample_biases",
    "sigmoid_question_gradient",
    "sigmoid_saturated_hidden_units",
    "sigmoid_stale_gradient",
    "sigmoid_target_unrelated",
    "sigmoid_transposed_gradient",
    "sigmoid_unconventional_half_mse",
    "sigmoid_unconventional_summed_loss",
    "sigmoid_unscaled_input",
    "sigmoid_unscaled_target",
    "sigmoid_y_shape_1d",
    "tanh_bias_grad_averaged",
    "tanh_correct",
    "tanh_correct_small",
    "tanh_dW1_from_preactivation",
    "tanh_input_var_not_std",
    "tanh_lr_too_large",
    "tanh_missing_activation_slope",
    "tanh_missing_input_in_dW0",
    "tanh_one_param_sign_flipped",
    "tanh_question_gradient",
    "tanh_saturated_hidden_units",
    "tanh_stale_gradient",
    "tanh_target_unrelated",
    "tanh_transposed_gradient",
    "tanh_unconventional_1d_target",
    "tanh_unconventional_weight_decay",
    "tanh_unscaled_target",
    "tanh_y_shape_1d",
)


def load(name):
    """Import one network's module by its name in MODULES."""
    return importlib.import_module(f"{__name__}.{name}")


def load_all():
    """All the networks' modules, in the order of MODULES."""
    return [load(name) for name in MODULES]
