import numpy as np
import pytest

from helpers import data


def test_make_data_is_the_questions_parabola_with_a_ripple():
    x_raw, y = data.make_data(n=500, seed=3)
    assert x_raw.shape == y.shape == (500, 1)
    assert x_raw.dtype == y.dtype == np.float64
    np.testing.assert_allclose(y, x_raw**2 - 0.2 * np.cos(3 * np.pi * x_raw))
    assert 1.8 < x_raw.std() < 2.2  # x_raw = 2 * N(0, 1)


def test_make_data_is_reproducible_per_seed_and_differs_across_seeds():
    a, _ = data.make_data(seed=1)
    b, _ = data.make_data(seed=1)
    c, _ = data.make_data(seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize("n", [0, -5, 2.5, True, "10"])
def test_make_data_rejects_a_bad_sample_count(n):
    with pytest.raises(ValueError, match=r"n must be an integer >= 1 and <= 10000000, got "):
        data.make_data(n=n)


def test_standardize_gives_zero_mean_unit_std():
    x_raw, _ = data.make_data(seed=0)
    x = data.standardize(x_raw)
    assert abs(x.mean()) < 1e-12
    assert abs(x.std() - 1) < 1e-12


def test_standardize_applies_given_training_statistics_to_a_test_set():
    x_train, _ = data.make_data(seed=0)
    x_test, _ = data.make_data(n=50, seed=1)
    scaled = data.standardize(x_test, mean=x_train.mean(), std=x_train.std())
    np.testing.assert_allclose(scaled, (x_test - x_train.mean()) / x_train.std())
    assert abs(scaled.mean()) > 1e-6  # not re-centred on its own mean


def test_standardize_rejects_constant_input():
    with pytest.raises(ValueError, match="standard deviation is 0"):
        data.standardize(np.full((10, 1), 3.0))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_standardize_rejects_non_finite_input(bad):
    a = np.arange(5.0).reshape(5, 1)
    a[2] = bad
    with pytest.raises(ValueError, match="NaN or infinite"):
        data.standardize(a)


@pytest.mark.parametrize("std", [0.0, -0.1])
def test_standardize_rejects_a_non_positive_given_std(std):
    with pytest.raises(ValueError, match=rf"^std must be a positive finite number, got {std}$"):
        data.standardize(np.arange(5.0), std=std)


@pytest.mark.parametrize("sigma", [0.1, 0.5, 2.0, 10.0])
def test_dividing_by_the_variance_leaves_std_one_over_sigma(sigma):
    a = sigma * np.random.default_rng(0).normal(size=(10_000, 1))
    out = data.standardize_with_var(a)
    np.testing.assert_allclose(out.std(), 1 / a.std(), rtol=1e-12)


def test_in_training_range_marks_extrapolation():
    x_train = np.array([[-1.0], [0.0], [2.0]])
    mask = data.in_training_range(np.array([[-1.0], [-1.5], [1.0], [2.0], [2.1]]), x_train)
    assert mask.tolist() == [True, False, True, True, False]


def test_the_held_out_set_is_another_draw_of_the_same_distribution():
    x, y = data.make_data(200, seed=3)
    x_test, y_test = data.held_out_data(200, seed=3)
    np.testing.assert_array_equal(x_test, data.make_data(200, seed=3 + data.HELD_OUT_OFFSET)[0])
    assert not np.any(np.isin(x_test, x))  # no training point reappears
    np.testing.assert_allclose(y_test, x_test**2 - 0.2 * np.cos(3 * np.pi * x_test))
