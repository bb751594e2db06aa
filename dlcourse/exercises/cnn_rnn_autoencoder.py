r"""Checkers of the chapter "CNN + RNN and the convolutional autoencoder"
(``book/code/cnn_rnn_autoencoder.ipynb``).

- :func:`check_conv_params`: the number of trainable parameters of a Keras
  ``Conv2D`` layer with a square kernel and a bias,
  :math:`(k \cdot k \cdot c_{\text{in}} + 1)\, c_{\text{out}}`.

Expected values are recomputed when the checker runs, and no failure message
contains one.
"""

from __future__ import annotations

import numpy as np

from .checking import ExerciseFailed, checker, expect
from .checking import call_student as _call, require_function as _require_function

__all__ = ["check_conv_params"]


def _conv_params(k: int, c_in: int, c_out: int) -> int:
    return (k * k * c_in + 1) * c_out


#: (kernel_size, in_channels, filters): the chapter's layers and a few others.
_CASES = [(3, 1, 32), (3, 32, 16), (3, 16, 32), (3, 32, 1), (5, 3, 8), (1, 7, 5), (2, 2, 3)]


@checker(
    hints=[
        "Count what a convolution layer stores, not what it computes: its kernels and its "
        "biases. The size of the image it slides over plays no part.",
        "Each filter looks at a small square window across every input channel at once, "
        "and adds one bias of its own.",
        "Count the numbers in one filter's window (its side squared, times the input "
        "channels), add that filter's bias, then multiply by how many filters there are.",
    ]
)
def check_conv_params(conv_params):
    """Check ``conv_params(kernel_size, in_channels, filters) -> int``."""
    _require_function(conv_params, "conv_params")
    for k, c_in, c_out in _CASES:
        what = f"kernel_size={k}, in_channels={c_in}, filters={c_out}"
        out = _call(conv_params, k, c_in, c_out)
        expect(out is not None, "conv_params returned None: did you forget `return`?")
        expect(not isinstance(out, (bool, str)) and np.ndim(out) == 0,
               f"conv_params must return one whole number; for {what} it returned a "
               f"{type(out).__name__}.")
        try:
            got = float(out)
        except (TypeError, ValueError):
            raise ExerciseFailed(
                f"conv_params must return one whole number; for {what} it returned a "
                f"{type(out).__name__}.") from None
        want = _conv_params(k, c_in, c_out)
        if got == want:
            continue
        if got == k * k * c_in * c_out:
            raise ExerciseFailed(f"for {what} you forgot the biases: one per filter.")
        if got == (k * k + 1) * c_out:
            raise ExerciseFailed(
                f"for {what} you left out the input channels: each filter has a k x k "
                f"kernel for every input channel.")
        if got == (k * c_in + 1) * c_out:
            raise ExerciseFailed(f"for {what} the kernel is k x k, not k wide.")
        if got == k * k * c_in * c_out + c_in:
            raise ExerciseFailed(f"for {what} there is one bias per filter (output "
                                 f"channel), not per input channel.")
        raise ExerciseFailed(f"for {what} the count is wrong.")
