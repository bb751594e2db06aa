"""Checkers of the Normalization layers chapter (``book/algorithms/normalization.ipynb``).

Expected values are recomputed from :mod:`dlcourse.normalization` when a checker runs,
so nothing here stores an answer, and no failure message prints one.
"""

from __future__ import annotations

import numpy as np

from .. import normalization
from .checking import ExerciseFailed, as_array, checker, expect, require_function
from .checking import call_student as _call

__all__ = ["check_layer_norm", "check_fold_batch_norm"]

#: Shapes of the test inputs (a batch of vectors, one vector, a batch of sequences).
#: Outputs are compared to 1e-5, so float32 answers (round-off ~1e-7) pass.
_SHAPES = [(4, 5), (1, 3), (2, 3, 6)]


@checker(
    hints=[
        "Layer normalization normalizes each example on its own, across its features, "
        "not across the batch.",
        "Take the mean and the variance over the last axis only, keeping that axis so "
        "they broadcast back; subtract the mean and divide by the square root of the "
        "variance plus eps.",
        "Finish with the learnt scale and shift: multiply by gamma and add beta, one of "
        "each per feature.",
    ]
)
def check_layer_norm(layer_norm):
    """Check ``layer_norm(x, gamma, beta, eps=1e-3)`` against dlcourse's."""
    require_function(layer_norm, "layer_norm")
    rng = np.random.default_rng(2016)
    for shape in _SHAPES:
        x = rng.normal(loc=2.0, scale=3.0, size=shape)
        gamma, beta = rng.normal(size=shape[-1]), rng.normal(size=shape[-1])
        want, _ = normalization.layer_norm_forward(x, gamma, beta, eps=1e-3)
        args = [x.copy(), gamma.copy(), beta.copy()]
        got = as_array(_call(layer_norm, *args, eps=1e-3), f"layer_norm for x of shape {shape}",
                       shape=want.shape)
        expect(all(np.array_equal(a, b) for a, b in zip(args, (x, gamma, beta))),
               "layer_norm must not modify its arguments.")
        if len(shape) == 2 and shape[0] > 1:
            by_batch, _, _, _ = normalization.batch_norm_forward(x, gamma, beta, eps=1e-3)
            if np.allclose(got, by_batch, atol=1e-5):
                raise ExerciseFailed("your statistics are taken over the batch (batch "
                                     "normalization), not over each example's features.")
        expect(np.allclose(got, want, rtol=0, atol=1e-5),
               f"the output for x of shape {shape} is wrong.")
    x = rng.normal(scale=0.05, size=(3, 4))  # a small variance, where eps matters
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    want, _ = normalization.layer_norm_forward(x, gamma, beta, eps=0.5)
    got = as_array(_call(layer_norm, x.copy(), gamma.copy(), beta.copy(), eps=0.5),
                   "layer_norm with eps=0.5", shape=want.shape)
    expect(np.allclose(got, want, rtol=0, atol=1e-5),
           "with eps=0.5 the output is wrong: use the eps you are given, inside the root.")


@checker(
    hints=[
        "At inference batch normalization uses fixed statistics, so it is an affine map "
        "of each feature: a scale and a shift.",
        "Write the inference formula out and expand it so that the input appears once: "
        "everything that multiplies the input is the scale, the rest is the shift.",
        "The scale gathers gamma and the moving standard deviation (eps goes inside the "
        "root); the shift gathers beta and the moving mean, and can reuse the scale. Both "
        "hold one value per feature.",
    ]
)
def check_fold_batch_norm(fold_batch_norm):
    """Check ``fold_batch_norm(gamma, beta, mean, var, eps=1e-3) -> (scale, shift)``."""
    require_function(fold_batch_norm, "fold_batch_norm")
    rng = np.random.default_rng(2015)
    for n in (1, 4):
        layer = normalization.BatchNormalization(n)
        layer.params["gamma"][...] = rng.normal(size=n)
        layer.params["beta"][...] = rng.normal(size=n)
        layer.moving_mean[...] = rng.normal(size=n)
        layer.moving_var[...] = rng.uniform(0.1, 3.0, size=n)
        args = [w.copy() for w in layer.get_weights()]
        out = _call(fold_batch_norm, *args, eps=1e-3)
        expect(isinstance(out, (tuple, list)) and len(out) == 2,
               "fold_batch_norm must return two arrays, (scale, shift).")
        scale = as_array(out[0], "scale", shape=(n,))
        shift = as_array(out[1], "shift", shape=(n,))
        x = rng.normal(size=(6, n))
        want = layer.forward(x, training=False)
        expect(np.allclose(x * scale + shift, want, rtol=0, atol=1e-5),
               f"x * scale + shift differs from the layer's inference output for {n} feature(s).")
    gamma, beta, mean = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    var = rng.uniform(0.001, 0.01, size=3)  # small: eps matters
    out = _call(fold_batch_norm, gamma.copy(), beta.copy(), mean.copy(), var.copy(), eps=0.5)
    expect(isinstance(out, (tuple, list)) and len(out) == 2,
           "fold_batch_norm must return two arrays, (scale, shift).")
    scale, shift = as_array(out[0], "scale", shape=(3,)), as_array(out[1], "shift", shape=(3,))
    x = rng.normal(size=(6, 3))
    want = gamma * (x - mean) / np.sqrt(var + 0.5) + beta
    expect(np.allclose(x * scale + shift, want, rtol=0, atol=1e-5),
           "with eps=0.5 x * scale + shift is wrong: use the eps you are given, inside the root.")
