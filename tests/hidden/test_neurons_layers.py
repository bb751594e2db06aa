"""The hidden tests of the neurons-and-layers chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import layers
from dlcourse.exercises import neurons_layers as ex
from dlcourse.instructor.hidden import neurons_layers as hidden

HIDDEN = "^hidden test: "


def count_params(sizes):  # the worked answer, through dlcourse's Sequential
    return layers.Sequential([layers.Dense(a, b, rng=0) for a, b in zip(sizes[:-1], sizes[1:])]).n_params


def collapse(weights, biases):  # the worked answer
    W, b = weights[0], biases[0]
    for W_next, b_next in zip(weights[1:], biases[1:]):
        W, b = W @ W_next, b @ W_next + b_next
    return W, b


def test_count_params_worked_answer_passes():
    hidden.ex_neurons_layers_2(count_params)
    hidden.ex_neurons_layers_2(
        lambda s: sum((a + 1) * b for a, b in zip(s[:-1], s[1:])))


def test_count_params_tuned_to_the_self_check_fails():
    """A table of the self-check's networks, the weights alone for any other."""
    table = {tuple(s): count_params(s) for s, _ in ex._SIZE_CASES}

    def tuned(sizes):
        return table.get(tuple(sizes), sum(a * b for a, b in zip(sizes[:-1], sizes[1:])))

    ex.check_count_params.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_neurons_layers_2(tuned)


def test_count_params_returning_a_float_fails():
    """np.dot of float arrays: the right count, but not an integer; the self-check accepts it."""
    def as_float(sizes):
        s = np.asarray(sizes, dtype=float)
        return float(np.dot(s[:-1] + 1, s[1:]))

    ex.check_count_params.__wrapped__(as_float)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_neurons_layers_2(as_float)


@pytest.mark.parametrize("wrong", [
    lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])),                  # no biases
    lambda s: sum((a + 1) * b for a, b in zip(s[:-1], s[1:])) + s[0],     # input "biases"
    lambda s: sum(a * (b + 1) for a, b in zip(s[:-1], s[1:])),            # biases per input
])
def test_count_params_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_neurons_layers_2(wrong)


def test_collapse_worked_answer_passes():
    hidden.ex_neurons_layers_4(collapse)


def test_collapse_tuned_to_the_self_check_fails():
    """Written out for one to three layers (the self-check's stacks), later layers dropped."""
    def tuned(weights, biases):
        return collapse(weights[:3], biases[:3])

    ex.check_collapse.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_neurons_layers_4(tuned)




@pytest.mark.parametrize("wrong", [
    lambda ws, bs: (collapse(ws, bs)[0], bs[-1]),                                # last bias only
    lambda ws, bs: (collapse(ws, bs)[0].T, collapse(ws, bs)[1]),                 # W transposed
    lambda ws, bs: ws.append(ws[-1]) or collapse(ws[:-1], bs),                   # changes the list
])
def test_collapse_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_neurons_layers_4(wrong)
