import numpy as np
import pytest

from helpers import data, net, original, validate
from helpers.validate import is_integer, is_number


@pytest.mark.parametrize("value", [0, 7, -3, np.int64(5), np.int32(2)])
def test_whole_numbers_are_integers_and_numbers(value):
    assert is_integer(value) and is_number(value)


@pytest.mark.parametrize("value", [0.5, np.float32(0.1), float("nan"), float("inf")])
def test_reals_are_numbers_but_not_integers(value):
    assert is_number(value) and not is_integer(value)


@pytest.mark.parametrize("value", [True, False, np.bool_(True), "3", None, [1], np.array([1.0])])
def test_booleans_strings_and_arrays_are_neither(value):
    assert not is_integer(value) and not is_number(value)


@pytest.mark.parametrize("value", [0, -1, 11, 2.0, True, "3", None, np.float64(3.0)])
def test_check_int_names_the_argument_what_it_got_and_the_range(value):
    with pytest.raises(ValueError) as err:
        validate.check_int("epochs", value, 1, 10)
    assert str(err.value) == f"epochs must be an integer >= 1 and <= 10, got {value!r}"


def test_check_int_accepts_the_bounds_and_numpy_integers():
    for value in (1, 10, np.int64(5)):
        validate.check_int("epochs", value, 1, 10)  # no exception


@pytest.mark.parametrize("call, name", [
    (lambda: data.make_data(validate.MAX_SAMPLES + 1), "n"),
    (lambda: data.make_data(10, seed=1.5), "seed"),
    (lambda: net.init_params(validate.MAX_HIDDEN + 1), "n_hidden"),
    (lambda: original.run_original(seed="a"), "seed"),
    (lambda: original.run_original(epochs=10**12), "epochs"),
])
def test_sizes_counts_and_seeds_have_documented_bounds(call, name):
    with pytest.raises(ValueError, match=f"^{name} must be an integer >= "):
        call()
