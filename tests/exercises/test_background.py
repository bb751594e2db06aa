"""Checkers of the Background chapter: the reference answers pass; placeholders, wrong
types, wrong shapes and wrong values fail with ExerciseFailed (never another exception),
and no failure message gives the answer away."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from dlcourse import milestones
from dlcourse.exercises import background as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_update(w, b, x, y, learning_rate=1.0):
    """The answer of exercise 2, written independently of dlcourse.milestones."""
    y_hat = 1 if np.dot(w, x) + b > 0 else 0
    return w + learning_rate * (y - y_hat) * x, b + learning_rate * (y - y_hat)


# OR and NAND in the hidden layer, AND of the two at the output.
XOR_WEIGHTS = (
    np.array([[1.0, -1.0], [1.0, -1.0]]),
    np.array([-0.5, 1.5]),
    np.array([[1.0], [1.0]]),
    -1.5,
)


def reference_counts():
    return dict(Counter(m.year // 10 * 10 for m in milestones.MILESTONES))


# ----------------------------------------------------------------------------- passes


def test_reference_update_passes(capsys):
    assert ex.check_perceptron_update(reference_update) is None
    assert capsys.readouterr().out.strip() == "\u2713 perceptron_update: Correct!"


def test_dlcourse_update_passes():
    assert ex.check_perceptron_update(milestones.perceptron_update) is None


def test_reference_xor_network_passes():
    assert ex.check_xor_network(XOR_WEIGHTS) is None


@pytest.mark.parametrize(
    "weights",
    [
        # b1 and W2 in other accepted shapes, a list instead of a tuple
        [XOR_WEIGHTS[0], XOR_WEIGHTS[1].reshape(1, 2), XOR_WEIGHTS[2].ravel(), np.array([-1.5])],
        # another solution: hidden units "x1 and not x2", "x2 and not x1", output OR
        (np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([-0.5, -0.5]), np.array([1.0, 1.0]), -0.5),
        # three hidden units, one of them unused
        (np.array([[1.0, -1.0, 0.0], [1.0, -1.0, 0.0]]), np.array([-0.5, 1.5, 0.0]),
         np.array([1.0, 1.0, 5.0]), -1.5),
    ],
)
def test_other_xor_solutions_pass(weights):
    assert ex.check_xor_network(weights) is None


def test_reference_counts_pass():
    assert ex.check_milestones_per_decade(reference_counts()) is None


def test_counts_accept_a_counter_and_zero_entries():
    counts = Counter(m.year // 10 * 10 for m in milestones.MILESTONES)
    assert ex.check_milestones_per_decade(counts) is None
    assert ex.check_milestones_per_decade({**reference_counts(), 1930: 0}) is None


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_perceptron_update, ex.check_xor_network, ex.check_milestones_per_decade]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3], (np.zeros(2),) * 4]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer):
    _fails(check, answer)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


# perceptron_update ----------------------------------------------------------------


def test_update_not_implemented_fails_naming_the_error():
    def stub(w, b, x, y, learning_rate=1.0):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(ex.check_perceptron_update, stub)


def test_update_with_wrong_tie_rule_fails():
    def ge(w, b, x, y, learning_rate=1.0):  # H(0) = 1: the wrong convention
        y_hat = 1 if np.dot(w, x) + b >= 0 else 0
        return w + learning_rate * (y - y_hat) * x, b + learning_rate * (y - y_hat)

    assert "= 0 exactly" in _fails(ex.check_perceptron_update, ge)


def test_update_forgetting_the_bias_fails():
    def no_bias(w, b, x, y, learning_rate=1.0):
        new_w, _ = reference_update(w, b, x, y, learning_rate)
        return new_w, b

    _fails(ex.check_perceptron_update, no_bias)


def test_update_with_wrong_sign_fails_without_giving_numbers():
    def wrong_sign(w, b, x, y, learning_rate=1.0):
        y_hat = 1 if np.dot(w, x) + b > 0 else 0
        return w - learning_rate * (y - y_hat) * x, b - learning_rate * (y - y_hat)

    message = _fails(ex.check_perceptron_update, wrong_sign)
    # the expected new weights of the failing case, (0.5, -1) + 0.5 * (1, 2), are not shown
    assert "1.0" not in message and "0.5" not in message and "[" not in message


def test_update_returning_wrong_types_or_shapes_fails():
    assert "pair" in _fails(ex.check_perceptron_update, lambda w, b, x, y, lr=1.0: w)
    assert "shape" in _fails(ex.check_perceptron_update, lambda w, b, x, y, lr=1.0: (w[:1], b))
    _fails(ex.check_perceptron_update, lambda w, b, x, y, lr=1.0: ("w", "b"))
    _fails(ex.check_perceptron_update, lambda w, b: (w, b))  # wrong signature


def test_update_that_modifies_x_fails():
    def mutates(w, b, x, y, learning_rate=1.0):
        new = reference_update(w, b, x.copy(), y, learning_rate)
        x *= 0
        return new

    assert "must not modify" in _fails(ex.check_perceptron_update, mutates)


def test_passing_the_result_instead_of_the_function_fails():
    result = reference_update(np.zeros(2), 0.0, np.ones(2), 1)
    assert "function itself" in _fails(ex.check_perceptron_update, result)


# xor_network -----------------------------------------------------------------------


def test_xor_network_with_wrong_values_fails_and_reports_the_inputs_only():
    w1, b1, w2, b2 = XOR_WEIGHTS
    # output OR instead of AND: OR(OR, NAND) is 1 on all four inputs
    message = _fails(ex.check_xor_network, (w1, b1, w2, -0.5))
    assert "wrong on 2 of the 4 inputs: (0, 0), (1, 1)" in message
    assert "-1.5" not in message  # the right output bias is not given away


def test_xor_network_that_computes_and_fails():
    and_net = (np.array([[1.0], [1.0]]), np.array([-1.5]), np.array([[1.0]]), -0.5)
    # AND differs from XOR on (0, 1), (1, 0) and (1, 1)
    assert "wrong on 3 of the 4 inputs" in _fails(ex.check_xor_network, and_net)


@pytest.mark.parametrize(
    "weights, words",
    [
        ((np.ones((3, 2)), np.zeros(2), np.ones(2), 0.0), "W1 must have shape (2, hidden)"),
        ((np.ones((2, 2)), np.zeros(3), np.ones(2), 0.0), "b1 must have shape (2,)"),
        ((np.ones((2, 2)), np.zeros(2), np.ones((2, 2)), 0.0), "W2 must have shape (2, 1)"),
        ((np.ones((2, 2)), np.zeros(2), np.ones(2), np.zeros(2)), "b2 should be a single number"),
        ((np.ones((2, 2)), np.zeros(2), np.ones(2)), "four arrays"),
        ((np.ones((2, 2)), None, np.ones(2), 0.0), "b1 is None"),
        ((np.full((2, 2), np.nan), np.zeros(2), np.ones(2), 0.0), "NaN"),
    ],
)
def test_xor_network_shape_errors_name_the_array(weights, words):
    assert words in _fails(ex.check_xor_network, weights)


# milestones_per_decade ----------------------------------------------------------------


def _without_decade_strings(message: str) -> str:
    return re.sub(r"\b1[89]\d0s?\b|\b20\d0s?\b", "", message)


def test_counts_with_one_wrong_value_fail_without_the_right_value():
    counts = reference_counts()
    right = counts[1980]
    counts[1980] = right + 1
    message = _fails(ex.check_milestones_per_decade, counts)
    assert "the count for the 1980s is off" in message
    assert not re.search(rf"\b{right}\b", _without_decade_strings(message))


def test_counts_missing_or_extra_decades_fail():
    counts = reference_counts()
    del counts[2010]
    assert "no count for the 2010s" in _fails(ex.check_milestones_per_decade, counts)
    assert "no milestone in the 1930s" in _fails(
        ex.check_milestones_per_decade, {**reference_counts(), 1930: 1}
    )


@pytest.mark.parametrize(
    "counts, words",
    [
        ({1943: 1}, "not a decade"),
        ({"the forties": 1}, "whole number"),
        ({1940: 1.5}, "whole number"),
        ({1940: -1}, "negative"),
        ([(1940, 2)], "must be a dict"),
        ({1940: None}, "is None"),
    ],
)
def test_counts_of_the_wrong_form_fail(counts, words):
    assert words in _fails(ex.check_milestones_per_decade, counts)


def test_no_message_contains_the_expected_dictionary():
    expected = reference_counts()
    bad = {**expected, 1980: expected[1980] + 2}
    message = _fails(ex.check_milestones_per_decade, bad)
    assert str(expected) not in message and str(sorted(expected.items())) not in message
