"""The hidden tests of the Attention chapter catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse import attention
from dlcourse.exercises import attention as ex
from dlcourse.instructor.hidden import attention as hidden

HIDDEN = "^hidden test: "


def attention_fn(q, k, v, mask=None):  # the worked answer
    scores = q @ k.T / np.sqrt(q.shape[-1])
    scores = scores if mask is None else np.where(mask, scores, -1e9)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    w /= w.sum(axis=-1, keepdims=True)
    return w @ v


def positional_encoding(length, depth):  # the worked answer
    positions = np.arange(length)[:, None]
    angles = positions / 10000 ** (np.arange(0, depth, 2)[None, :] / depth)
    pe = np.zeros((length, depth))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


def test_attention_worked_answer_passes():
    hidden.ex_attention_1(attention_fn)


def test_attention_engine_passes():
    hidden.ex_attention_1(lambda q, k, v, mask=None:
                          attention.scaled_dot_product_attention(q, k, v, mask=mask)[0])


def without_default(q, k, v, mask):
    """Needs the mask: the self-check always passes one, even None."""
    return attention_fn(q, k, v, mask)


def naive_softmax(q, k, v, mask=None):
    """No shift by the row's max: overflows on large scores."""
    scores = q @ k.T / np.sqrt(q.shape[-1])
    scores = scores if mask is None else np.where(mask, scores, -1e9)
    with np.errstate(over="ignore", invalid="ignore"):
        w = np.exp(scores)
        return w / w.sum(axis=-1, keepdims=True) @ v


def minus_infinity(q, k, v, mask=None):
    """Masks with -inf, not -1e9 as asked: a fully masked row becomes NaN."""
    scores = q @ k.T / np.sqrt(q.shape[-1])
    scores = scores if mask is None else np.where(mask, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return w / w.sum(axis=-1, keepdims=True) @ v


def additive(q, k, v, mask=None):
    """Adds -1e9 to the masked scores instead of setting them: wrong on a fully masked row."""
    scores = q @ k.T / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + np.where(mask, 0.0, -1e9)
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True) @ v


@pytest.mark.parametrize("wrong", [without_default, naive_softmax, minus_infinity, additive])
def test_attention_edge_case_mistakes_fail_both(wrong):
    """Once tuned to the self-check; it now tries these cases too, and so does the hidden test."""
    with pytest.raises(AssertionError):
        ex.check_attention.__wrapped__(wrong)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_1(wrong)


def test_attention_tuned_to_the_self_check_fails():
    """Scales by sqrt(d_k) only for the key lengths the self-check uses."""
    def tuned(q, k, v, mask=None):
        scale = np.sqrt(q.shape[-1]) if q.shape[-1] in (2, 3, 4, 8) else 1.0
        scores = q @ k.T / scale
        scores = scores if mask is None else np.where(mask, scores, -1e9)
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return w / w.sum(axis=-1, keepdims=True) @ v

    ex.check_attention.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_1(tuned)


@pytest.mark.parametrize("wrong", [
    lambda q, k, v, mask=None: attention_fn(q * np.sqrt(q.shape[-1]), k, v, mask),   # unscaled
    lambda q, k, v, mask=None: attention_fn(q, k, v, None),                          # mask ignored
    lambda q, k, v, mask=None: attention_fn(q, k, v, None if mask is None else ~mask),
])
def test_attention_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_1(wrong)


def test_attention_that_modifies_its_arguments_fails():
    def in_place(q, k, v, mask=None):
        out = attention_fn(q, k, v, mask)
        q /= 2.0
        return out

    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_1(in_place)


def test_positional_encoding_worked_answer_passes():
    hidden.ex_attention_2(positional_encoding)
    hidden.ex_attention_2(attention.positional_encoding)


def test_positional_encoding_tuned_to_the_self_check_fails():
    """Right for the self-check's sizes, which it recognises; i/d in the exponent otherwise."""
    def tuned(length, depth):
        if (length, depth) in ((1, 2), (10, 8), (50, 16), (7, 6)):
            return positional_encoding(length, depth)
        angles = np.arange(length)[:, None] / 10000 ** (np.arange(depth // 2)[None, :] / depth)
        pe = np.zeros((length, depth))
        pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
        return pe

    ex.check_positional_encoding.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_2(tuned)


@pytest.mark.parametrize("wrong", [
    lambda length, depth: np.concatenate([positional_encoding(length, depth)[:, 0::2],
                                          positional_encoding(length, depth)[:, 1::2]], axis=1),
    lambda length, depth: positional_encoding(length + 1, depth)[1:],     # positions from 1
])
def test_positional_encoding_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_attention_2(wrong)
