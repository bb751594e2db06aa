"""Checkers of the chapter on neurons, layers and weights: the reference answers pass;
placeholders, wrong types, wrong shapes and wrong values fail with ExerciseFailed (never
another exception), and no failure message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import neurons_layers as ex
from dlcourse.exercises.checking import ExerciseFailed

from .helpers import fails as _fails

# ----------------------------------------------------------------------------- answers


def reference_count_params(sizes):
    """The answer of the counting exercise, written independently of dlcourse.layers."""
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def reference_collapse(weights, biases):
    """The answer of the collapsing exercise: substitute each layer into the next."""
    w, b = weights[0], biases[0]
    for w_next, b_next in zip(weights[1:], biases[1:]):
        w, b = w @ w_next, b @ w_next + b_next
    return w, b


# ----------------------------------------------------------------------------- passes


def test_reference_count_params_passes(capsys):
    ex.check_count_params(reference_count_params)  # passes: no ExerciseFailed
    assert capsys.readouterr().out.strip() == "\u2713 count_params: Correct!"


def test_count_params_returning_numpy_ints_or_whole_floats_passes():
    ex.check_count_params(lambda s: np.int64(reference_count_params(s)))  # passes: no ExerciseFailed
    ex.check_count_params(lambda s: float(reference_count_params(s)))  # passes: no ExerciseFailed


def test_reference_collapse_passes(capsys):
    ex.check_collapse(reference_collapse)  # passes: no ExerciseFailed
    assert capsys.readouterr().out.strip() == "\u2713 collapse: Correct!"


def test_collapse_with_functools_reduce_and_a_2d_bias_passes():
    from functools import reduce

    def collapse(weights, biases):
        w = reduce(np.matmul, weights)
        b = np.zeros((1, w.shape[1]))
        for k, bk in enumerate(biases):
            tail = reduce(np.matmul, weights[k + 1:], np.eye(len(bk)))
            b = b + bk @ tail
        return w, b

    ex.check_collapse(collapse)  # passes: no ExerciseFailed


# ----------------------------------------------------------------------------- failures

CHECKERS = [ex.check_count_params, ex.check_collapse]
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3]]


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(check, answer, capsys):
    _fails(check, answer)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_placeholders_say_so(check):
    for stub in (None, ...):
        assert "placeholder" in _fails(check, stub)


@pytest.mark.parametrize("check", CHECKERS, ids=lambda c: c.__name__)
def test_a_stub_that_raises_names_the_error(check):
    def stub(*args):
        raise NotImplementedError

    assert "still raises NotImplementedError" in _fails(check, stub)


# count_params ------------------------------------------------------------------------


def test_count_params_without_biases_says_so():
    def weights_only(sizes):
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    assert "not the biases" in _fails(ex.check_count_params, weights_only)


def test_count_params_with_a_wrong_value_does_not_give_the_answer():
    def off_by_one(sizes):
        return reference_count_params(sizes) + 1

    message = _fails(ex.check_count_params, off_by_one)
    assert "returned 4, which is wrong" in message
    assert not re.search(r"\b3\b(?!,| inputs)", message.replace("[2, 1]", ""))


def test_count_params_that_counts_the_input_layer_fails():
    def with_input_biases(sizes):
        return reference_count_params(sizes) + sizes[0]

    _fails(ex.check_count_params, with_input_biases)


@pytest.mark.parametrize("answer", [lambda s: "769", lambda s: 769.5, lambda s: None,
                                    lambda s: [3], lambda: 3])
def test_count_params_of_the_wrong_type_fails(answer):
    _fails(ex.check_count_params, answer)


def test_count_params_that_refuses_tuples_fails():
    def lists_only(sizes):
        if not isinstance(sizes, list):
            raise TypeError("sizes must be a list")
        return reference_count_params(sizes)

    assert "raised TypeError" in _fails(ex.check_count_params, lists_only)


# collapse ----------------------------------------------------------------------------


def test_collapse_forgetting_later_weights_on_the_bias_says_b_is_wrong():
    def sum_of_biases(weights, biases):
        w, _ = reference_collapse(weights, biases)
        return w, biases[-1]

    message = _fails(ex.check_collapse, sum_of_biases)
    assert "W is right but b is wrong" in message
    assert "[" not in message.split("Hint")[0]  # no array is printed


def test_collapse_keeping_only_the_first_layer_fails_on_w():
    def first_only(weights, biases):
        w = weights[0] @ np.ones((weights[0].shape[1], weights[-1].shape[1]))
        return w, biases[-1]

    message = _fails(ex.check_collapse, first_only)
    assert "W is wrong for one layer" in message
    assert "[" not in message.split("Hint")[0]  # no array is printed


@pytest.mark.parametrize(
    "answer, words",
    [
        (lambda w, b: reference_collapse(w, b)[0], "pair (W, b)"),
        (lambda w, b: (reference_collapse(w, b)[0].T, reference_collapse(w, b)[1]), "shape"),
        (lambda w, b: (reference_collapse(w, b)[0], np.zeros(7)), "b must have shape"),
        (lambda w, b: (reference_collapse(w, b)[0], None), "b is None"),
        (lambda w, b: (np.full_like(reference_collapse(w, b)[0], np.nan),
                       reference_collapse(w, b)[1]), "NaN"),
        (lambda w: w, "raised TypeError"),
    ],
)
def test_collapse_of_the_wrong_form_fails(answer, words):
    assert words in _fails(ex.check_collapse, answer)


def test_collapse_that_modifies_its_input_fails():
    def in_place(weights, biases):
        w, b = reference_collapse(weights, biases)
        w, b = w.copy(), b.copy()
        weights[0] *= 0.0
        return w.copy(), b.copy()

    assert "must not modify" in _fails(ex.check_collapse, in_place)
