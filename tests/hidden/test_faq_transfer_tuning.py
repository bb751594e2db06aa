"""The hidden tests of the FAQ chapter on transfer learning and tuning catch wrong answers
the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import faq_transfer_tuning as ex
from dlcourse.instructor.hidden import faq_transfer_tuning as hidden
from exercises.test_faq_transfer_tuning import log_uniform  # the worked answer

HIDDEN = "^hidden test: "


def test_log_uniform_worked_answer_passes():
    hidden.ex_transfer_tuning_2(log_uniform)


def test_log_uniform_another_correct_answer_passes():
    """low * (high / low) ** U with U uniform on [0, 1) is log-uniform too."""
    hidden.ex_transfer_tuning_2(lambda low, high, size, rng: low * (high / low) ** rng.random(size))


def test_log_uniform_with_its_own_generator_fails():
    """Draws from a generator of its own, seeded once: the self-check's test of the seed
    (the same seed twice gives the same draw) passes, but rng is ignored."""
    def tuned(low, high, size, rng):
        return log_uniform(low, high, size, np.random.default_rng(0))

    ex.check_log_uniform.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transfer_tuning_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda low, high, size, rng: rng.uniform(low, high, size),                        # uniform values
    lambda low, high, size, rng: rng.uniform(np.log(low), np.log(high), size),        # no exp
    lambda low, high, size, rng: np.sqrt(low * high) * (high / low) ** (rng.random(size) ** 2 - 0.5),
])
def test_log_uniform_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transfer_tuning_2(wrong)


def test_n_trials_worked_answer_passes():
    hidden.ex_transfer_tuning_3(int(np.ceil(np.log(0.05) / np.log(0.95))))
    hidden.ex_transfer_tuning_3(np.ceil(np.log(0.05) / np.log(0.95)))  # a NumPy float is a number


def test_n_trials_as_text_fails():
    """The checker reads "59" as the number 59."""
    ex.check_n_trials.__wrapped__("59")
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transfer_tuning_3("59")


@pytest.mark.parametrize("wrong", [58, 60, int(np.log(0.05) / np.log(0.95)), True])
def test_n_trials_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_transfer_tuning_3(wrong)
