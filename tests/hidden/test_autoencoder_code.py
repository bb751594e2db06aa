"""The hidden tests of "An autoencoder, step by step" catch wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import autoencoder_code as ex
from dlcourse.instructor.hidden import autoencoder_code as hidden

HIDDEN = "^hidden test: "


def entropy_floor(x):  # the worked answer
    p = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ink = np.where(p > 0, p * np.log(p), 0.0)
        paper = np.where(p < 1, (1 - p) * np.log(1 - p), 0.0)
    return float(np.mean(-(ink + paper)))


def mask_noise(x, rate, rng):  # the worked answer
    x = np.asarray(x)
    deleted = rng.random(x.shape) < rate
    return np.where(deleted, np.zeros_like(x), x)


def test_entropy_floor_worked_answer_passes():
    hidden.ex_autoencoder_2(entropy_floor)


def test_entropy_floor_tuned_to_the_self_check_fails():
    """Right on the self-check's three arrays, in bits elsewhere."""
    known = [x for x, _ in ex._floor_cases()]

    def tuned(x):
        x = np.asarray(x, dtype=float)
        if any(x.shape == k.shape and np.array_equal(x, k) for k in known):
            return entropy_floor(x)
        return entropy_floor(x) / np.log(2)

    ex.check_entropy_floor.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoder_2(tuned)


def _keras_clip(x):
    p = np.clip(np.asarray(x, dtype=float), 1e-7, 1 - 1e-7)
    return float(np.mean(-(p * np.log(p) + (1 - p) * np.log(1 - p))))


@pytest.mark.parametrize("wrong", [
    _keras_clip,                                                   # Keras's epsilon: not 0 log 0 = 0
    lambda x: entropy_floor(x) * np.size(x),                       # a sum, not a mean
    lambda x: entropy_floor(x) / np.log(2),                        # bits
    lambda x: [entropy_floor(image) for image in np.asarray(x)],   # one value per image
])
def test_entropy_floor_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoder_2(wrong)


def test_mask_noise_worked_answer_passes():
    hidden.ex_autoencoder_3(mask_noise)


def test_mask_noise_tuned_to_the_self_check_fails():
    """Zeroes exactly round(rate * pixels) pixels of every image: the self-check's share is
    met exactly, but the pixels are not zeroed independently."""
    def tuned(x, rate, rng):
        x = np.asarray(x)
        flat = x.reshape(len(x), -1).copy()
        m = int(round(rate * flat.shape[1]))
        for row in flat:
            row[rng.choice(flat.shape[1], size=m, replace=False)] = 0
        return flat.reshape(x.shape)

    ex.check_mask_noise.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoder_3(tuned)


def _same_mask_per_pair(x, rate, rng):
    """Draws one mask for every two images (passes the self-check's tests of dependence)."""
    x = np.asarray(x)
    half = rng.random(((len(x) + 1) // 2,) + x.shape[1:]) < rate
    return np.where(np.repeat(half, 2, axis=0)[:len(x)], 0, x)


def _in_place(x, rate, rng):
    x[rng.random(x.shape) < rate] = 0
    return x


@pytest.mark.parametrize("wrong", [
    lambda x, rate, rng: mask_noise(x, 0.25 if 0 < rate < 1 and rate != 0.5 else rate, rng),
    lambda x, rate, rng: mask_noise(x, rate, rng) / (1 - rate) if rate < 1 else 0 * x,
    lambda x, rate, rng: np.where(rng.random(x.shape) > rate, 0, x),
    _same_mask_per_pair,
    _in_place,
    lambda x, rate, rng: np.where(rng.random(x.shape[1:]) < rate, 0, x),
])
def test_mask_noise_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoder_3(wrong)


def test_mask_noise_same_mask_per_pair_passes_the_self_check():
    ex.check_mask_noise.__wrapped__(_same_mask_per_pair)
