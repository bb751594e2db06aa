"""Checkers of the Recurrent networks chapter (``book/algorithms/recurrent.ipynb``).

Expected values are recomputed when a checker runs (from :mod:`dlcourse.recurrent`, from
parameter-counting rules, or from the clipping formula), so nothing here stores an answer
a student could read, and no failure message prints one.
"""

from __future__ import annotations

import numpy as np

from .. import recurrent
from .checking import ExerciseFailed, as_array, as_int, checker, expect
from .checking import call_student as _call

__all__ = ["check_simple_rnn", "check_article_lstm_params", "check_clip_by_global_norm"]


def _is_placeholder(answer) -> bool:
    return answer is None or answer is Ellipsis


# --------------------------------------------------------------------------- simple RNN

#: (steps, features, units) of the test sequences.
_RNN_CASES = [(1, 2, 3), (5, 2, 3), (7, 1, 4), (12, 3, 2)]


@checker(
    hints=[
        "A simple RNN applies the same step at every time step, carrying a hidden state "
        "from one step to the next.",
        "The new state is the tanh of the input's contribution, the previous state's "
        "contribution and the bias; the state starts at zero.",
        "Use row vectors as dlcourse.recurrent does: the input multiplies W, the previous"
        " state multiplies U. Store the state of every step, one row per time step.",
    ]
)
def check_simple_rnn(simple_rnn):
    """Check ``simple_rnn(x, W, U, b) -> (T, units)`` for one sequence ``x`` of shape (T, d)."""
    expect(not _is_placeholder(simple_rnn),
           "simple_rnn is a placeholder: define the function first.")
    expect(callable(simple_rnn),
           "pass the function itself (simple_rnn), not the result of calling it.")
    rng = np.random.default_rng(1990)
    for steps, features, units in _RNN_CASES:
        x = rng.normal(size=(steps, features))
        W = rng.normal(scale=0.8, size=(features, units))
        U = rng.normal(scale=0.6, size=(units, units))
        b = rng.normal(scale=0.3, size=units)
        args = [a.copy() for a in (x, W, U, b)]
        want, _ = recurrent.rnn_forward(x[None], W, U, b)
        want = want[0]
        what = f"a sequence of {steps} step(s), {features} feature(s), {units} units"
        got = as_array(_call(simple_rnn, *args), f"simple_rnn for {what}", shape=want.shape)
        expect(all(np.array_equal(a, c) for a, c in zip(args, (x, W, U, b))),
               "simple_rnn must not modify its arguments.")
        if steps > 1 and np.allclose(got, np.tanh(x @ W + b), atol=1e-10):
            raise ExerciseFailed(f"the states for {what} ignore the previous state h U.")
        if np.allclose(got[0], want[0], atol=1e-10) and not np.allclose(got, want, atol=1e-10):
            raise ExerciseFailed(
                f"the first state is right but later ones are wrong for {what}: is h "
                f"updated and fed back at every step, and multiplied as h @ U?"
            )
        expect(np.allclose(got, want, rtol=0, atol=1e-10),
               f"the hidden states for {what} are wrong.")


# ------------------------------------------------------------------- article LSTM params

_LSTM_NAMES = ("lstm_1", "lstm_2", "dense")
_LSTM_HINTS = {
    "lstm_1": "an LSTM has four blocks (input, forget and output gates and the "
              "candidate), each with a kernel acting on the input (10 features here), a "
              "recurrent kernel acting on the previous state and a bias.",
    "lstm_2": "the second LSTM reads the 128-number states of the first one, so its "
              "kernels act on 128 features.",
    "dense": "one weight per input of the layer and per class, plus one bias per class.",
}


def _article_lstm_counts() -> tuple[int, int, int]:
    def lstm(features: int, units: int) -> int:
        return 4 * (features * units + units * units + units)

    return lstm(10, 128), lstm(128, 128), 128 * 10 + 10


@checker(
    hints=[
        "An LSTM's parameter count does not depend on the number of time steps: every "
        "step shares the weights.",
        "An LSTM has four blocks (three gates and a candidate), each with an input "
        "kernel, a recurrent kernel and a bias.",
        "The second LSTM's inputs are the first one's units, and the dense layer sees the"
        " last LSTM's units. Count weights and biases for each layer separately.",
    ]
)
def check_article_lstm_params(param_counts):
    """Check ``param_counts = (lstm_1, lstm_2, dense)`` for article 001's recurrent model."""
    expect(not _is_placeholder(param_counts),
           "param_counts is a placeholder: set it to a tuple of three numbers.")
    expect(isinstance(param_counts, (tuple, list)) and not isinstance(param_counts, str),
           f"param_counts must be a tuple of three whole numbers (lstm_1, lstm_2, dense); "
           f"received {type(param_counts).__name__}.")
    expect(len(param_counts) == 3,
           f"param_counts must hold three numbers (lstm_1, lstm_2, dense); received "
           f"{len(param_counts)}.")
    got = [as_int(v, f"param_counts[{i}] ({name})")
           for i, (v, name) in enumerate(zip(param_counts, _LSTM_NAMES))]
    steps_counted = 4 * (10 * 10 * 128 + 128 * 128 + 128)
    expect(got[0] != steps_counted,
           "the count for lstm_1 multiplies by the 10 time steps: the weights are shared "
           "across steps.")
    for name, g, want in zip(_LSTM_NAMES, got, _article_lstm_counts()):
        expect(g == want, f"the count for {name} is off: {_LSTM_HINTS[name]}")


# ------------------------------------------------------------------------- clipping


def _clip_reference(grads, max_norm):
    total = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * scale for g in grads], total


def _clip_cases():
    rng = np.random.default_rng(2013)
    shapes = [(3, 4), (4,), (2, 2, 3)]
    big = [rng.normal(scale=5.0, size=s) for s in shapes]
    small = [rng.normal(scale=0.01, size=s) for s in shapes]
    return [
        (big, 1.0, "large gradients (global norm far above max_norm)"),
        (big, 2.5, "large gradients and max_norm = 2.5"),
        (small, 1.0, "small gradients (global norm below max_norm: nothing to clip)"),
        ([rng.normal(size=(5,))], 0.5, "a single gradient array"),
        ([np.zeros((2, 3)), np.zeros(3)], 1.0, "all-zero gradients"),
    ]


@checker(
    hints=[
        "Clipping by the global norm treats all the gradient arrays as one long vector.",
        "The global norm is the Euclidean norm of all the entries of all the arrays "
        "together; clip only when it exceeds max_norm.",
        "When it does, scale every array by the same factor, the one that brings the "
        "global norm down to max_norm, so the direction is kept; otherwise return the "
        "arrays unchanged. Return new arrays.",
    ]
)
def check_clip_by_global_norm(clip_by_global_norm):
    """Check ``clip_by_global_norm(grads, max_norm) -> list of arrays``."""
    expect(not _is_placeholder(clip_by_global_norm),
           "clip_by_global_norm is a placeholder: define the function first.")
    expect(callable(clip_by_global_norm),
           "pass the function itself (clip_by_global_norm), not the result of calling it.")
    for grads, max_norm, what in _clip_cases():
        copies = [g.copy() for g in grads]
        out = _call(clip_by_global_norm, copies, max_norm)
        expect(isinstance(out, (list, tuple)) and len(out) == len(grads),
               f"clip_by_global_norm must return a list with one array per gradient "
               f"({len(grads)} for {what}); received "
               f"{type(out).__name__ if not isinstance(out, (list, tuple)) else len(out)}.")
        expect(all(np.array_equal(c, g) for c, g in zip(copies, grads)),
               "clip_by_global_norm must not modify the gradients it receives; return new "
               "arrays.")
        want, total = _clip_reference(grads, max_norm)
        got = [as_array(o, f"array {i} of the result", shape=w.shape)
               for i, (o, w) in enumerate(zip(out, want))]
        if total > max_norm and len(grads) > 1:
            each = [g * min(1.0, max_norm / max(np.linalg.norm(g), 1e-300)) for g in grads]
            if all(np.allclose(a, b, rtol=1e-5, atol=1e-7) for a, b in zip(got, each)):
                raise ExerciseFailed(
                    f"for {what} each array was clipped by its own norm: use one global "
                    f"norm over all the arrays, so that their directions stay consistent."
                )
        expect(all(np.allclose(a, b, rtol=1e-5, atol=1e-7) for a, b in zip(got, want)),
               f"the clipped gradients are wrong for {what} (compared to 1e-5 relative, "
               f"so float32 passes).")
