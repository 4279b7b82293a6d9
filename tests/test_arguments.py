import numpy as np
import pytest

from helpers.arguments import is_integer, is_number


@pytest.mark.parametrize("value", [0, 7, -3, np.int64(5), np.int32(2)])
def test_whole_numbers_are_integers_and_numbers(value):
    assert is_integer(value) and is_number(value)


@pytest.mark.parametrize("value", [0.5, np.float32(0.1), float("nan"), float("inf")])
def test_reals_are_numbers_but_not_integers(value):
    assert is_number(value) and not is_integer(value)


@pytest.mark.parametrize("value", [True, False, np.bool_(True), "3", None, [1], np.array([1.0])])
def test_booleans_strings_and_arrays_are_neither(value):
    assert not is_integer(value) and not is_number(value)
