"""Checkers of "An autoencoder, step by step": the reference answers pass; placeholders,
wrong types, wrong shapes and wrong values fail with ExerciseFailed (never another
exception), common mistakes are named, and no message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import autoencoder_code as ex

from .helpers import JUNK, fails


def entropy_floor(x):
    """Reference: the mean binary entropy of the pixels, 0 log 0 = 0, in nats."""
    from scipy.special import xlogy

    p = np.asarray(x, dtype=float)
    return float(np.mean(-(xlogy(p, p) + xlogy(1 - p, 1 - p))))


def mask_noise(x, rate, rng):
    """Reference: zero each pixel independently with probability rate."""
    return np.where(rng.random(np.shape(x)) < rate, 0.0, x)


# ------------------------------------------------------------------- entropy floor


def test_entropy_floor_reference_passes(capsys):
    assert ex.check_entropy_floor(entropy_floor) is None
    assert capsys.readouterr().out.strip() == "\u2713 entropy_floor: Correct!"


def test_entropy_floor_agrees_with_keras_to_float32_precision():
    """The chapter's claim: Keras's BCE of x against itself is the floor (Keras clips its
    predictions to [1e-7, 1 - 1e-7] and computes in float32, hence the 1e-5 tolerance)."""
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).choice([0.0, 0.25, 0.5, 1.0], size=(20, 64)).astype("float32")
    from_keras = float(np.mean(keras.losses.binary_crossentropy(x, x)))
    assert abs(from_keras - entropy_floor(x)) < 1e-5


def test_entropy_floor_accepts_numpy_scalars_and_float32():
    assert ex.check_entropy_floor(lambda x: np.float32(entropy_floor(x))) is None


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_entropy_floor_junk_fails_cleanly(answer):
    fails(ex.check_entropy_floor, answer)


def _naive(x):
    p = np.asarray(x, dtype=float)
    return float(np.mean(-(p * np.log(p) + (1 - p) * np.log(1 - p))))


@pytest.mark.parametrize("answer, words", [
    (_naive, "0 * log 0"),
    (lambda x: entropy_floor(x) / np.log(2), "bits"),
    (lambda x: -entropy_floor(x), "sign"),
    (lambda x: entropy_floor(x) * np.size(x), "summed"),
    (lambda x: np.zeros(3), "single number"),
    (lambda x: "0.2", "number"),
    (lambda x: None, "return"),
    (lambda x: 0.5, "wrong"),
], ids=["nan", "bits", "sign", "sum", "array", "string", "none", "constant"])
def test_entropy_floor_wrong_answers_fail_with_a_reason(answer, words):
    assert words in fails(ex.check_entropy_floor, answer)


def test_entropy_floor_student_warnings_do_not_leak(recwarn):
    fails(ex.check_entropy_floor, _naive)      # log(0) inside the student's function
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_entropy_floor_messages_do_not_contain_the_expected_values():
    values = {f"{entropy_floor(x):.{d}f}" for x, _ in ex._floor_cases() for d in (2, 3, 4)}
    for answer in (_naive, lambda x: 0.5, lambda x: -entropy_floor(x),
                   lambda x: entropy_floor(x) / np.log(2)):
        message = fails(ex.check_entropy_floor, answer)
        assert not set(re.findall(r"\d+\.\d+", message)) & values, message


# ------------------------------------------------------------------- masking noise


def test_mask_noise_reference_passes(capsys):
    assert ex.check_mask_noise(mask_noise) is None
    assert capsys.readouterr().out.strip() == "\u2713 mask_noise: Correct!"


@pytest.mark.parametrize("answer", [
    lambda x, rate, rng: x * rng.binomial(1, 1 - rate, size=np.shape(x)),
    lambda x, rate, rng: np.where(rng.uniform(size=np.shape(x)) >= rate, x, 0.0).astype(np.float32),
], ids=["binomial", "uniform-float32"])
def test_mask_noise_other_correct_draws_pass(answer):
    assert ex.check_mask_noise(answer) is None


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_mask_noise_junk_fails_cleanly(answer):
    fails(ex.check_mask_noise, answer)


def _in_place(x, rate, rng):
    x[rng.random(x.shape) < rate] = 0.0
    return x


@pytest.mark.parametrize("answer, words", [
    (lambda x, rate, rng: np.where(rng.random(x.shape) < rate, 0.0, x / (1 - rate)), "inverted dropout"),
    (lambda x, rate, rng: np.where(rng.random(x.shape) < 1 - rate, 0.0, x), "1 - rate"),
    (lambda x, rate, rng: np.where(np.random.random(x.shape) < rate, 0.0, x), "rng"),
    (lambda x, rate, rng: x * (rng.random((len(x),) + (1,) * (x.ndim - 1)) >= rate), "whole images"),
    (lambda x, rate, rng: x * (rng.random(x.shape[1:]) >= rate), "same pixels"),
    (lambda x, rate, rng: np.where(rng.random(x.shape) < rate, 0.5, x), "either"),
    (lambda x, rate, rng: np.where(rng.random(x.shape) < 2 * rate, 0.0, x), "zeroed"),
    (lambda x, rate, rng: x[:, :10], "shape"),
    (lambda x, rate, rng: None, "return"),
    (_in_place, "in place"),
], ids=["rescaled", "keep-rate", "global-rng", "per-image", "shared-mask", "not-zero",
        "wrong-rate", "shape", "none", "in-place"])
def test_mask_noise_wrong_answers_fail_with_a_reason(answer, words):
    assert words in fails(ex.check_mask_noise, answer)


def test_mask_noise_wrong_for_images_only_fails():
    def flat_only(x, rate, rng):
        if x.ndim != 2:
            raise ValueError("expected a 2-D array")
        return mask_noise(x, rate, rng)

    assert "ValueError" in fails(ex.check_mask_noise, flat_only)
