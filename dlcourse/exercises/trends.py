"""Checkers of the chapter "Trends and challenges" (``book/trends/trends.ipynb``).

Two of the chapter's measurements become exercises: the cost of a convolution layer
(its parameters and floating-point operations, counted by formula) and the class
weights that rebalance an imbalanced training set. Expected values are recomputed
from the formulas when a checker runs, so nothing here stores an answer a student
could read.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .checking import (
    ExerciseFailed,
    as_float,
    call_student,
    checker,
    expect,
    require_function,
)

__all__ = ["check_conv2d_cost", "check_balanced_class_weights"]


# ---------------------------------------------------------------- conv2d_cost


def _reference_conv2d_cost(input_shape, filters, kernel_size, padding):
    r"""(params, flops) of a stride-1 Conv2D with a bias.

    .. math:: P = k_h k_w C_{in} C_{out} + C_{out}, \qquad
              F = 2\, H_{out} W_{out}\, k_h k_w C_{in} C_{out}
    """
    h, w, c_in = input_shape
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    if padding == "same":
        h_out, w_out = h, w
    else:
        h_out, w_out = h - kh + 1, w - kw + 1
    macs = h_out * w_out * kh * kw * c_in * filters
    return kh * kw * c_in * filters + filters, 2 * macs


#: (input_shape, filters, kernel_size, padding, what the case tests)
_CONV_CASES = [
    ((8, 8, 1), 32, 3, "same", "the first layer of the chapter's CNN"),
    ((4, 4, 32), 64, 3, "same", "the second layer of the chapter's CNN"),
    ((28, 28, 1), 32, 3, "valid", "article 001's first layer on 28x28 MNIST images, 'valid' padding"),
    ((13, 13, 32), 64, 3, "valid", "article 001's second layer, 'valid' padding"),
    ((32, 32, 3), 16, (5, 3), "valid", "a 5x3 kernel on a colour image, 'valid' padding"),
    ((10, 6, 4), 8, (1, 1), "same", "a 1x1 convolution"),
]


def _diagnose_flops(got: float, input_shape, filters, kernel_size, padding) -> str:
    _, flops = _reference_conv2d_cost(input_shape, filters, kernel_size, padding)
    if got == flops // 2:
        return ("your FLOPs are the multiply-accumulates: count the multiplication and "
                "the addition of each as two operations.")
    other = "valid" if padding == "same" else "same"
    if got == _reference_conv2d_cost(input_shape, filters, kernel_size, other)[1]:
        return (f"your output size is that of padding={other!r}; with padding={padding!r} "
                "the output is " + ("as large as the input." if padding == "same"
                                    else "smaller than the input by the kernel size minus 1."))
    h, w, c_in = input_shape
    kh, kw = (kernel_size, kernel_size) if np.isscalar(kernel_size) else kernel_size
    if got in (2 * h * w * kh * kw * filters, 2 * kh * kw * c_in * filters):
        return ("each output value of each filter needs k_h * k_w * C_in multiply-adds, at "
                "every output position: include all four factors.")
    return "the FLOPs are wrong."


@checker(
    hints=[
        "Count parameters and floating-point operations separately: the first depend on "
        "the kernel, the second also on the output size.",
        "Each filter has one kernel over all the input channels and one bias. With stride"
        " one, 'same' keeps the height and width and 'valid' shrinks each by the kernel "
        "size minus one.",
        "Every output value needs one multiply-add per kernel weight it covers, and a "
        "multiply-add counts as two FLOPs; multiply by the number of output values "
        "(height, width, filters).",
    ]
)
def check_conv2d_cost(conv2d_cost):
    """Check ``conv2d_cost(input_shape, filters, kernel_size, padding) -> (params, flops)``."""
    require_function(conv2d_cost, "conv2d_cost")
    for input_shape, filters, kernel_size, padding, what in _CONV_CASES:
        out = call_student(conv2d_cost, input_shape, filters, kernel_size, padding)
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               f"conv2d_cost must return a pair (params, flops); it returned "
               f"{type(out).__name__}.")
        params = as_float(out[0], "params")
        flops = as_float(out[1], "flops")
        ref_params, ref_flops = _reference_conv2d_cost(input_shape, filters, kernel_size, padding)
        if params != ref_params:
            no_bias = params == ref_params - filters
            raise ExerciseFailed(
                f"the number of parameters is wrong for {what}"
                + (": you forgot the biases, one per filter." if no_bias else ".")
            )
        if flops != ref_flops:
            raise ExerciseFailed(f"for {what}: "
                                 + _diagnose_flops(flops, input_shape, filters, kernel_size, padding))


# ------------------------------------------------------- balanced_class_weights


def _reference_weights(y: np.ndarray) -> dict[int, float]:
    r"""w_c = n / (K n_c): every class gets the same total weight n / K."""
    classes, counts = np.unique(y, return_counts=True)
    return {int(c): len(y) / (len(classes) * n) for c, n in zip(classes, counts)}


def _weight_cases():
    rng = np.random.default_rng(95)
    y95 = np.r_[np.zeros(95, int), np.ones(5, int)]
    return [
        (rng.permutation(y95), "95 examples of class 0 and 5 of class 1"),
        (np.r_[np.zeros(50, int), np.ones(50, int)], "a balanced set (every weight should be 1)"),
        (rng.permutation(np.r_[np.zeros(60, int), np.ones(30, int), np.full(10, 2)]),
         "three classes of 60, 30 and 10 examples"),
        (rng.permutation(np.r_[np.zeros(7, int), np.ones(3, int)]).astype(float),
         "labels stored as floats 0.0 and 1.0"),
    ]


@checker(
    hints=[
        "Balanced weights make every class carry the same total weight in the loss.",
        "A class's weight is inversely proportional to its number of examples; scale it "
        "so that the weights average one over the examples.",
        "NumPy's unique with counts gives the classes and their sizes. Return a dict from"
        " class (as a plain int, the form that keras.Model.fit expects for class_weight) "
        "to its weight.",
    ]
)
def check_balanced_class_weights(balanced_class_weights):
    """Check ``balanced_class_weights(y) -> {class: weight}``, weights n / (K n_c)."""
    require_function(balanced_class_weights, "balanced_class_weights")
    for y, what in _weight_cases():
        out = call_student(balanced_class_weights, y.copy())
        expect(isinstance(out, Mapping),
               f"balanced_class_weights must return a dict {{class: weight}}, as "
               f"keras.Model.fit(class_weight=...) expects; it returned {type(out).__name__}.")
        expected = _reference_weights(y)
        keys = set()
        for key in out:
            expect(not isinstance(key, (bool, np.bool_)) and isinstance(key, (int, np.integer, float, np.floating))
                   and float(key) == int(key),
                   f"the keys of the dict must be the class labels (whole numbers); "
                   f"found the key {key!r}.")
            keys.add(int(key))
        expect(keys == set(expected),
               f"for {what}: the dict must have one key per class present in y, "
               f"{len(expected)} in all; it has {len(keys)}.")
        got = {int(k): as_float(v, f"the weight of class {int(k)}") for k, v in out.items()}
        ratio = np.array([got[c] / expected[c] for c in sorted(expected)])
        if not np.allclose(ratio, 1.0, rtol=1e-9):
            if np.allclose(ratio, ratio[0], rtol=1e-9):
                raise ExerciseFailed(
                    f"for {what}: your weights have the right ratios but the wrong scale; "
                    "scale them so that the weights, summed over all examples, add up to n."
                )
            raise ExerciseFailed(f"for {what}: the weights are wrong.")
