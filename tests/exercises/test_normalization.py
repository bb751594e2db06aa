"""Checkers of the Normalization layers chapter: the reference answers pass; junk,
placeholders, wrong shapes and wrong values fail with ExerciseFailed (never another
exception)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import normalization as ex

from .helpers import JUNK
from .helpers import fails as _fails


def reference_layer_norm(x, gamma, beta, eps=1e-3):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def reference_fold(gamma, beta, mean, var, eps=1e-3):
    scale = gamma / np.sqrt(var + eps)
    return scale, beta - mean * scale


def test_reference_answers_pass(capsys):
    assert ex.check_layer_norm(reference_layer_norm) is None
    assert ex.check_fold_batch_norm(reference_fold) is None
    assert capsys.readouterr().out.splitlines() == [
        "\u2713 layer_norm: Correct!", "\u2713 fold_batch_norm: Correct!"]


def test_float32_and_list_answers_pass():
    ex.check_layer_norm(lambda x, g, b, eps=1e-3: reference_layer_norm(x, g, b, eps).astype(np.float32))
    ex.check_fold_batch_norm(lambda *a, eps=1e-3: [list(v) for v in reference_fold(*a, eps=eps)])


@pytest.mark.parametrize("check", [ex.check_layer_norm, ex.check_fold_batch_norm])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_fails_cleanly(check, junk):
    _fails(check, junk)


def test_batch_statistics_instead_of_feature_statistics_are_named():
    def over_batch(x, gamma, beta, eps=1e-3):
        mean, var = x.mean(axis=0), x.var(axis=0)
        return gamma * (x - mean) / np.sqrt(var + eps) + beta
    assert "over the batch" in _fails(ex.check_layer_norm, over_batch)


@pytest.mark.parametrize("wrong", [
    lambda x, g, b, eps=1e-3: reference_layer_norm(x, g, b, eps)[..., :-1],     # wrong shape
    lambda x, g, b, eps=1e-3: (x - x.mean(-1, keepdims=True)) * g + b,         # no division
    lambda x, g, b, eps=1e-3: reference_layer_norm(x, g, b, eps) + 1e-3,        # off by a bit
    lambda x, g, b, eps=1e-3: 1 / 0,                                            # raises
    lambda x, g, b, eps=1e-3: x.__isub__(1.0),                                  # modifies x
])
def test_wrong_layer_norms_fail(wrong):
    _fails(ex.check_layer_norm, wrong)


@pytest.mark.parametrize("wrong", [
    lambda g, b, m, v, eps=1e-3: (g / np.sqrt(v + eps),),                       # one array
    lambda g, b, m, v, eps=1e-3: (g / np.sqrt(v + eps), b),                     # shift forgets the mean
    lambda g, b, m, v, eps=1e-3: (g / (v + eps), b - m * g / (v + eps)),         # variance, not std
    lambda g, b, m, v, eps=1e-3: (np.ones(3), np.zeros(3)),                     # wrong shape
])
def test_wrong_folds_fail(wrong):
    _fails(ex.check_fold_batch_norm, wrong)


def test_an_eps_built_in_is_named():
    assert "the eps you are given" in _fails(
        ex.check_layer_norm, lambda x, g, b, eps=1e-3: reference_layer_norm(x, g, b, 1e-3))
    assert "the eps you are given" in _fails(
        ex.check_fold_batch_norm, lambda g, b, m, v, eps=1e-3: reference_fold(g, b, m, v, 1e-3))
