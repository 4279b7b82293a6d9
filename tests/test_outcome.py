"""The one run classifier (helpers.outcome), on hand-made loss curves with var(y) = 1."""
import numpy as np
import pytest

from helpers import bugs, outcome, stability, train


def word(losses, diverged=False):
    return outcome.classify(np.asarray(losses, dtype=float), 1.0, diverged)


def test_each_word_on_the_curve_that_defines_it():
    assert word([3.0, 4e9], diverged=True) == "diverged"
    assert word(np.geomspace(1.0, 2.0, 51)) == "rising"
    assert word(np.r_[1.0, 5.0, np.full(20, 0.3)]) == "catapult"
    assert word(np.linspace(1.0, 0.5, 21)) == "still improving"
    assert word(np.r_[np.linspace(1.0, 0.3, 11), np.tile([0.3, 0.4], 5)]) == "stalled"  # bouncing
    assert word(np.r_[np.linspace(1.0, 0.3, 11), np.full(10, 0.3)]) == "stalled"  # settled, too high
    assert word(np.r_[np.linspace(1.0, 0.05, 11), np.full(10, 0.05)]) == "converged"
    assert set(outcome.OUTCOMES) == {"converged", "catapult", "still improving", "stalled", "rising", "diverged"}


@pytest.mark.parametrize("epochs", [1, 3, 100, 5000])
def test_a_loss_that_ends_above_its_start_is_rising_never_stalled(epochs):
    climb = np.geomspace(46.6, 2.3e6, epochs + 1)
    assert outcome.classify(climb, 33.7, False) == "rising"
    wobble_up = climb * (1 + 0.3 * np.cos(np.arange(epochs + 1)))  # not monotone, still ends far above
    assert outcome.classify(wobble_up, 33.7, False) == "rising"


def test_rounding_noise_does_not_count_as_a_change():
    flat = 0.05 + 1e-12 * np.random.default_rng(0).normal(size=101)
    assert word(flat) == "converged"


def test_the_playground_and_the_phase_diagram_use_the_same_word():
    run = bugs.run(lr=0.03, epochs=300)  # issue 11: once 'converged' in one place, 'still improving' in the other
    as_train_result = train.TrainResult(run.losses, run.params, run.diverged_at is not None, run.diverged_at)
    assert stability.classify_run(as_train_result, bugs.Y) == run.outcome == "still improving"
    assert run.status.startswith(run.outcome + ": ")


def test_the_divergence_bound_scales_with_the_start_or_var_y():
    y = np.array([[0.0], [2.0]])
    assert outcome.divergence_bound(3.0, y) == 3.0 * outcome.DIVERGENCE_FACTOR
    assert outcome.divergence_bound(1e-3, y) == 1.0 * outcome.DIVERGENCE_FACTOR
