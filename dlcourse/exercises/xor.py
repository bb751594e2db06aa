"""Checkers of the chapter "XOR, step by step" (``book/code/xor.ipynb``).

- :func:`check_xor_weights`: weights of a 2-2-1 network, a ReLU hidden layer and a
  linear output, that computes XOR exactly,

  .. math:: \\hat y = \\operatorname{ReLU}(x W_1 + b_1)\\, W_2 + b_2 ;

- :func:`check_n_separable`: how many of the 16 Boolean functions of two inputs a
  single threshold unit computes (compared with a digest, not a readable number).
"""

from __future__ import annotations

import numpy as np

from .. import data
from .checking import ExerciseFailed, as_array, as_int, checker, expect, matches_digest

__all__ = ["check_xor_weights", "check_n_separable"]

#: digest(...) of the number of linearly separable Boolean functions of two inputs.
_N_SEPARABLE = "3cabb2b45e16226219b9914f18126cd820f8b6dfc0f067f8eaaeea027f7971e3"

_SHAPES = {
    "W1": ((2, 2),),
    "b1": ((2,), (1, 2)),
    "W2": ((2, 1), (2,)),
    "b2": ((), (1,), (1, 1)),
}


@checker(
    hints=[
        "One ReLU unit cannot do it: XOR is on when exactly one input is on. Think of "
        "what a second hidden unit could detect.",
        "Let both hidden units respond to the sum of the inputs, and let the second one "
        "switch on only when both inputs are on.",
        "The output then takes the first unit and subtracts enough of the second to "
        "cancel the case where both inputs are on; check all four rows of the truth "
        "table, remembering that the ReLU clips negative sums to zero.",
    ]
)
def check_xor_weights(weights):
    """Check ``weights = (W1, b1, W2, b2)`` of a ReLU network that computes XOR exactly."""
    expect(weights is not None and weights is not Ellipsis,
           "weights is a placeholder: set weights = (W1, b1, W2, b2) first.")
    expect(isinstance(weights, (tuple, list)) and len(weights) == 4,
           f"weights must be a tuple (W1, b1, W2, b2) of four arrays; received "
           f"{type(weights).__name__}"
           + (f" of length {len(weights)}" if isinstance(weights, (tuple, list)) else "") + ".")
    arrays = {}
    for (name, allowed), value in zip(_SHAPES.items(), weights):
        arr = as_array(value, name)
        expect(arr.shape in allowed,
               f"{name} has shape {arr.shape}; expected shape {allowed[0]}"
               + (f" (or {', '.join(str(s) for s in allowed[1:])})" if len(allowed) > 1 else "")
               + ".")
        arrays[name] = arr
    w1, b1 = arrays["W1"], arrays["b1"].reshape(2)
    w2, b2 = arrays["W2"].reshape(2, 1), arrays["b2"].reshape(())
    x, y = data.xor()
    x, y = x.astype(np.float64), y.astype(np.float64)
    out = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    right = (out > 0.5) == (y > 0.5)
    if not right.all():
        raise ExerciseFailed(
            f"the network gets {int(right.sum())} of the 4 rows of the XOR table on the right "
            f"side of 0.5."
        )
    expect(np.allclose(out, y, atol=1e-6),
           "the network classifies all four rows correctly, but its outputs are not exactly "
           "0 and 1 (to 1e-6): the exercise asks for an exact fit, a mean squared error of 0.")


@checker(
    hints=[
        "There are 16 Boolean functions of two inputs: one for each labelling of the four"
        " input points.",
        "Go through all 16 labellings and test, for each, whether a line can separate the"
        " ones from the zeros, with the chapter's tool for that.",
        "The constant functions count too (a line with every point on one side). "
        "itertools.product can enumerate the labellings.",
    ]
)
def check_n_separable(n_separable):
    """Check the number of Boolean functions of two inputs one threshold unit computes."""
    n = as_int(n_separable, "n_separable")
    expect(0 <= n <= 16, f"there are only 16 Boolean functions of two inputs; received {n}.")
    expect(n != 16, "not every Boolean function is linearly separable: this chapter proved "
                    "that one of them is not.")
    expect(matches_digest(n, _N_SEPARABLE), f"{n} is not the number of separable functions.")
