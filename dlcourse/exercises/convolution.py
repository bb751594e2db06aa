"""Checkers of the Convolutional networks chapter (``book/algorithms/convolution.ipynb``).

Expected values are recomputed when a checker runs (from the receptive-field recursion,
from parameter-counting rules, or from :mod:`dlcourse.conv`), so nothing here stores an
answer a student could read, and no failure message prints one.
"""

from __future__ import annotations

import numpy as np

from .. import conv
from .checking import ExerciseFailed, as_array, as_int, checker, expect
from .checking import call_student as _call

__all__ = ["check_receptive_field", "check_article_cnn_params", "check_max_pool"]


def _is_placeholder(answer) -> bool:
    return answer is None or answer is Ellipsis


# ---------------------------------------------------------------------- receptive field


def _receptive_field(layers) -> int:
    r"""Side of the receptive field: r <- r + (k - 1) * j, then j <- j * s, from r = j = 1."""
    r, jump = 1, 1
    for k, s in layers:
        r += (k - 1) * jump
        jump *= s
    return r


#: Stacks of (kernel_size, stride), first layer first, and what each one tests.
_FIELD_CASES = [
    ([(3, 1)], "one 3x3 convolution"),
    ([(2, 2)], "one 2x2 pooling"),
    ([(3, 1), (3, 1)], "two 3x3 convolutions"),
    ([(3, 1), (3, 1), (3, 1)], "three 3x3 convolutions"),
    ([(3, 1), (2, 2), (3, 1), (2, 2)], "article 001's conv-pool-conv-pool stack"),
    ([(5, 2), (3, 2)], "a stride-2 5x5 convolution, then a stride-2 3x3 one"),
    ([(7, 2), (3, 2), (3, 1), (3, 1)], "a stem with strides 2 and 2, then two 3x3 layers"),
    ([(1, 1), (3, 3), (1, 1)], "1x1 layers around a stride-3 3x3 layer"),
]


@checker(
    hints=[
        "Walk from the input to the output, updating how many input pixels one output "
        "unit sees.",
        "Keep two numbers as you go: the receptive field so far, and the jump, the number"
        " of input pixels between two neighbouring units of the current layer.",
        "Both start at one. Each layer widens the field by its kernel size minus one, "
        "counted in jumps of the current size, and then multiplies the jump by its "
        "stride.",
    ]
)
def check_receptive_field(receptive_field):
    """Check ``receptive_field(layers)``: the input window one output unit depends on."""
    expect(not _is_placeholder(receptive_field),
           "receptive_field is a placeholder: define the function first.")
    expect(callable(receptive_field),
           "pass the function itself (receptive_field), not the result of calling it.")
    for layers, what in _FIELD_CASES:
        got = as_int(_call(receptive_field, [tuple(layer) for layer in layers]),
                     f"receptive_field for {what}")
        if got == _receptive_field(layers):
            continue
        if got == sum(k for k, _ in layers):
            raise ExerciseFailed(
                f"the result for {what} adds up the kernel sizes, but the windows of "
                f"consecutive layers overlap."
            )
        if got == 1 + sum(k - 1 for k, _ in layers):
            raise ExerciseFailed(
                f"the result for {what} ignores the strides: after a layer with stride s, "
                f"one step of the next layer covers s times as many input pixels."
            )
        raise ExerciseFailed(f"the receptive field for {what} is wrong.")


# --------------------------------------------------------------- article CNN parameters

_LAYER_NAMES = ("conv_1", "conv_2", "dense", "output")
_LAYER_HINTS = {
    "conv_1": "each of the 32 filters has one 3x3 kernel per input channel, plus one bias.",
    "conv_2": "each of the 64 filters spans all 32 channels of its input (3x3x32 weights), "
              "plus one bias.",
    "dense": "the Dense layer sees the flattened output of the second pooling: work out "
             "its height and width with the output-size formula (no padding).",
    "output": "one weight per input of the layer and per class, plus one bias per class.",
}


def _article_cnn_counts() -> tuple[int, int, int, int]:
    """Parameters of article 001's CNN on 28x28x1 inputs, from the counting rules."""
    n = 28
    conv_1 = 3 * 3 * 1 * 32 + 32
    n = (n - 3 + 1) // 2  # conv 3x3 "valid", then 2x2 pooling (a last odd row dropped)
    conv_2 = 3 * 3 * 32 * 64 + 64
    n = (n - 3 + 1) // 2
    dense = n * n * 64 * 128 + 128
    output = 128 * 10 + 10
    return conv_1, conv_2, dense, output


@checker(
    hints=[
        "Only convolution and dense layers have parameters; pooling and flattening have "
        "none.",
        "A convolution's count does not depend on the image size: only on the kernel size"
        " and the numbers of input and output channels.",
        "Count weights and biases separately for each layer: a convolution has one kernel"
        " over all input channels per filter plus one bias per filter; a dense layer one "
        "weight per input-output pair plus one bias per output. Track the channels and "
        "the flattened size from layer to layer.",
    ]
)
def check_article_cnn_params(param_counts):
    """Check ``param_counts = (conv_1, conv_2, dense, output)`` for article 001's CNN."""
    expect(not _is_placeholder(param_counts),
           "param_counts is a placeholder: set it to a tuple of four numbers.")
    expect(isinstance(param_counts, (tuple, list)) and not isinstance(param_counts, str),
           f"param_counts must be a tuple of four whole numbers (conv_1, conv_2, dense, "
           f"output); received {type(param_counts).__name__}.")
    expect(len(param_counts) == 4,
           f"param_counts must hold four numbers (conv_1, conv_2, dense, output), one per "
           f"layer with weights; received {len(param_counts)}.")
    got = [as_int(v, f"param_counts[{i}] ({name})")
           for i, (v, name) in enumerate(zip(param_counts, _LAYER_NAMES))]
    for name, g, want in zip(_LAYER_NAMES, got, _article_cnn_counts()):
        expect(g == want, f"the count for {name} is off: {_LAYER_HINTS[name]}")


# ---------------------------------------------------------------------------- max pool

_POOL_SHAPES = [(4, 4), (6, 8), (2, 2), (5, 7), (8, 8)]


@checker(
    hints=[
        "Max pooling keeps one value per window: the largest.",
        "The windows are two by two and do not overlap; an odd last row or column is "
        "dropped, so the result has half as many rows and columns, rounded down.",
        "Trim the image to even sizes, then either loop over the windows or reshape so "
        "that each window gets its own two axes and take the maximum over them.",
    ]
)
def check_max_pool(max_pool_2x2):
    """Check ``max_pool_2x2(image)``: 2x2 max pooling, stride 2, of a 2-D array."""
    expect(not _is_placeholder(max_pool_2x2),
           "max_pool_2x2 is a placeholder: define the function first.")
    expect(callable(max_pool_2x2),
           "pass the function itself (max_pool_2x2), not the result of calling it.")
    rng = np.random.default_rng(2024)
    for h, w in _POOL_SHAPES:
        image = rng.normal(size=(h, w))
        copy = image.copy()
        out = _call(max_pool_2x2, copy)
        expect(np.ndim(out) != 0,
               f"max_pool_2x2 returns a single number for a {h}x{w} image: that is the "
               f"maximum of the whole input (article 001's max(x)), not one maximum per "
               f"2x2 window.")
        want = conv.max_pool2d(image[None, :, :, None], size=2)[0, :, :, 0]
        got = as_array(out, f"max_pool_2x2 of a {h}x{w} image", shape=want.shape)
        expect(np.array_equal(copy, image), "max_pool_2x2 must not modify its input.")
        expect(np.allclose(got, want, rtol=1e-6, atol=1e-7),
               f"max_pool_2x2 of a {h}x{w} image has the right shape but wrong values "
               f"(compared to 1e-6 relative, so float32 passes).")
