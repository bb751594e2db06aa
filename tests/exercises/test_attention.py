"""Checkers of the Attention chapter: the reference answers pass; junk, placeholders,
wrong shapes and wrong values fail with ExerciseFailed (never another exception)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises import attention as ex

from .helpers import JUNK
from .helpers import fails as _fails


def _softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reference_attention(q, k, v, mask=None):
    scores = q @ k.T / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    return _softmax(scores) @ v


def reference_pe(length, depth):
    pos = np.arange(length)[:, None]
    angle = pos / 10000 ** (np.arange(0, depth, 2)[None, :] / depth)
    pe = np.zeros((length, depth))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)
    return pe


def test_reference_answers_pass(capsys):
    assert ex.check_attention(reference_attention) is None
    assert ex.check_positional_encoding(reference_pe) is None
    assert capsys.readouterr().out.splitlines() == [
        "\u2713 attention: Correct!", "\u2713 positional_encoding: Correct!"]


def test_float32_and_list_answers_pass():
    ex.check_attention(lambda q, k, v, mask=None: reference_attention(q, k, v, mask).astype(np.float32))
    ex.check_positional_encoding(lambda n, d: reference_pe(n, d).tolist())


@pytest.mark.parametrize("check", [ex.check_attention, ex.check_positional_encoding])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_fails_cleanly(check, junk):
    _fails(check, junk)


def test_named_mistakes_are_named():
    unscaled = lambda q, k, v, mask=None: reference_attention(q * np.sqrt(q.shape[-1]), k, v, mask)
    assert "sqrt(d_k)" in _fails(ex.check_attention, unscaled)
    no_mask = lambda q, k, v, mask=None: reference_attention(q, k, v)
    assert "mask is ignored" in _fails(ex.check_attention, no_mask)
    swapped = lambda n, d: reference_pe(n, d)[:, np.arange(d) ^ 1]
    assert "swapped" in _fails(ex.check_positional_encoding, swapped)


def test_attention_mistakes_on_edge_cases_are_named():
    def naive(q, k, v, mask=None):  # no max shift
        scores = q @ k.T / np.sqrt(q.shape[-1])
        scores = scores if mask is None else np.where(mask, scores, -1e9)
        with np.errstate(all="ignore"):
            e = np.exp(scores)
            return e / e.sum(axis=-1, keepdims=True) @ v

    def minus_inf(q, k, v, mask=None):
        scores = q @ k.T / np.sqrt(q.shape[-1])
        with np.errstate(all="ignore"):
            return _softmax(scores if mask is None else np.where(mask, scores, -np.inf)) @ v

    def additive(q, k, v, mask=None):
        scores = q @ k.T / np.sqrt(q.shape[-1])
        return _softmax(scores if mask is None else scores + np.where(mask, 0.0, -1e9)) @ v

    assert "default None" in _fails(ex.check_attention, lambda q, k, v, mask: reference_attention(q, k, v, mask))
    assert "largest score" in _fails(ex.check_attention, naive)
    assert "-inf" in _fails(ex.check_attention, minus_inf)
    assert "do not add" in _fails(ex.check_attention, additive)


@pytest.mark.parametrize("wrong", [
    lambda q, k, v, mask=None: _softmax(q @ k.T / np.sqrt(q.shape[-1])),              # weights, not output
    lambda q, k, v, mask=None: _softmax((q @ k.T).T).T @ v if q.shape[0] == k.shape[0] else 0,  # wrong axis
    lambda q, k, v, mask=None: 1 / 0,
    lambda q, k, v, mask=None: q.__iadd__(1.0) @ np.zeros((q.shape[1], v.shape[1])),  # modifies q
])
def test_wrong_attention_fails(wrong):
    _fails(ex.check_attention, wrong)


@pytest.mark.parametrize("wrong", [
    lambda n, d: reference_pe(n, d)[:, :-1],                  # wrong shape
    lambda n, d: reference_pe(n + 1, d)[1:],                  # positions start at 1
    lambda n, d: np.sin(reference_pe(n, d)),                  # wrong values
])
def test_wrong_encodings_fail(wrong):
    _fails(ex.check_positional_encoding, wrong)
