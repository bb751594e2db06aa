"""The hidden test of the autoencoders chapter catches wrong answers the self-check passes."""

import numpy as np
import pytest

from dlcourse.exercises import autoencoders as ex
from dlcourse.instructor.hidden import autoencoders as hidden

HIDDEN = "^hidden test: "


def pca_reconstruct(x, k):  # the worked answer
    x = np.asarray(x, dtype=float)
    centre = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - centre, full_matrices=False)
    components = vt[:k]
    return centre + (x - centre) @ components.T @ components


def test_pca_reconstruct_worked_answer_passes():
    hidden.ex_autoencoders_2(pca_reconstruct)


def test_pca_reconstruct_tuned_to_the_self_check_fails():
    """Right for the self-check's three data shapes, skips the centring otherwise."""
    def tuned(x, k):
        x = np.asarray(x, dtype=float)
        if x.shape in {(60, 6), (40, 10), (25, 5)}:
            return pca_reconstruct(x, k)
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        return x @ vt[:k].T @ vt[:k]

    ex.check_pca_reconstruct.__wrapped__(tuned)
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoders_2(tuned)


def _uncentred(x, k):
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x @ vt[:k].T @ vt[:k]


def _scalar_mean(x, k):
    centre = x.mean()                          # one mean for all the features
    _, _, vt = np.linalg.svd(x - centre, full_matrices=False)
    return centre + (x - centre) @ vt[:k].T @ vt[:k]


def _in_place(x, k):
    centre = x.mean(axis=0)
    x -= centre
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return centre + x @ vt[:k].T @ vt[:k]


@pytest.mark.parametrize("wrong", [
    _uncentred,
    _scalar_mean,
    _in_place,
    lambda x, k: pca_reconstruct(x, k + 1),
    lambda x, k: pca_reconstruct(x, k)[:, :1] * np.ones(x.shape[1]),
])
def test_pca_reconstruct_wrong_answers_fail(wrong):
    with pytest.raises(AssertionError, match=HIDDEN):
        hidden.ex_autoencoders_2(wrong)
