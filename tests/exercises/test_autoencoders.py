"""Checkers of "Autoencoders": the reference answer passes; placeholders, wrong types,
wrong shapes and wrong values fail with ExerciseFailed (never another exception), the
common mistakes get a message that names them, and no message gives the answer away."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlcourse.exercises import autoencoders as ex

from .helpers import JUNK, fails


def pca_reconstruct(x, k):
    """Reference: project the centred rows on the k leading right singular vectors."""
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return mean + (x - mean) @ vt[:k].T @ vt[:k]


def _svd_parts(x):
    mean = x.mean(axis=0)
    return mean, np.linalg.svd(x - mean, full_matrices=False)[2]


# ----------------------------------------------------------------------------- passes


def test_reference_passes(capsys):
    assert ex.check_pca_reconstruct(pca_reconstruct) is None
    assert capsys.readouterr().out.strip() == "\u2713 pca_reconstruct: Correct!"


def test_sklearn_pca_passes():
    from sklearn.decomposition import PCA

    def with_sklearn(x, k):
        pca = PCA(n_components=k).fit(x)
        return pca.inverse_transform(pca.transform(x))

    assert ex.check_pca_reconstruct(with_sklearn) is None


def test_float32_arithmetic_passes():
    # tolerance 1e-4 relative: float32 rounding on these small problems is ~1e-6
    assert ex.check_pca_reconstruct(lambda x, k: pca_reconstruct(x, k).astype(np.float32)) is None


def test_eigenvector_route_passes():
    def via_covariance(x, k):
        mean = x.mean(axis=0)
        values, vectors = np.linalg.eigh(np.cov(x, rowvar=False))
        v = vectors[:, np.argsort(values)[::-1][:k]]
        return mean + (x - mean) @ v @ v.T

    assert ex.check_pca_reconstruct(via_covariance) is None


# ----------------------------------------------------------------------------- failures


@pytest.mark.parametrize("answer", JUNK, ids=repr)
def test_junk_fails_cleanly(answer):
    fails(ex.check_pca_reconstruct, answer)


def test_stub_function_fails_with_the_stub_message():
    def stub(x, k):
        raise NotImplementedError

    assert "NotImplementedError" in fails(ex.check_pca_reconstruct, stub)


def test_function_returning_none_fails():
    assert "return" in fails(ex.check_pca_reconstruct, lambda x, k: None)


def test_function_that_raises_fails_and_names_the_error():
    def broken(x, k):
        return x @ np.ones((3, 3))

    assert "ValueError" in fails(ex.check_pca_reconstruct, broken)


@pytest.mark.parametrize("answer, words", [
    (lambda x, k: x, "wrong values"),
    (lambda x, k: pca_reconstruct(x, k)[:, :-1], "shape"),
    (lambda x, k: pca_reconstruct(x, k).T, "shape"),
    (lambda x, k: pca_reconstruct(x, k) - x.mean(axis=0), "add the mean back"),
    (lambda x, k: pca_reconstruct(x, k + 1), "instead of k"),
    (lambda x, k: pca_reconstruct(x, k - 1) if k > 1 else x * 0, "k"),
    (lambda x, k: np.full_like(x, 0.5), "wrong values"),
], ids=["identity", "wrong-shape", "transposed", "centred", "k+1", "k-1", "constant"])
def test_wrong_answers_fail_with_a_reason(answer, words):
    assert words in fails(ex.check_pca_reconstruct, answer)


def test_returning_the_codes_is_explained():
    def codes(x, k):
        mean, vt = _svd_parts(x)
        return (x - mean) @ vt[:k].T

    assert "codes" in fails(ex.check_pca_reconstruct, codes)


def test_uncentred_projection_is_explained():
    def uncentred(x, k):
        vt = np.linalg.svd(x, full_matrices=False)[2]
        return x @ vt[:k].T @ vt[:k]

    assert "centring" in fails(ex.check_pca_reconstruct, uncentred)


def test_smallest_components_are_explained():
    def smallest(x, k):
        mean, vt = _svd_parts(x)
        return mean + (x - mean) @ vt[-k:].T @ vt[-k:]

    assert "smallest variance" in fails(ex.check_pca_reconstruct, smallest)


def test_changing_x_in_place_fails():
    def in_place(x, k):
        x -= x.mean(axis=0)
        return pca_reconstruct(x, k)

    assert "in place" in fails(ex.check_pca_reconstruct, in_place)


def test_messages_do_not_contain_the_expected_values():
    """No number of the reference reconstruction appears in any failure message."""
    x, k, _ = ex._cases()[0]
    want = pca_reconstruct(x, k)
    shown = {f"{v:.{d}f}" for v in want.ravel()[:20] for d in (2, 3, 4)}
    for answer in (lambda x, k: x, lambda x, k: pca_reconstruct(x, k) - x.mean(axis=0),
                   lambda x, k: pca_reconstruct(x, k + 1), lambda x, k: x * 0):
        message = fails(ex.check_pca_reconstruct, answer)
        numbers = set(re.findall(r"-?\d+\.\d+", message))
        assert not numbers & shown, message
