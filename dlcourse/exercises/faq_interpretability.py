"""Checkers of the FAQ chapter "Interpretability"."""

from __future__ import annotations

import numpy as np

from .checking import as_array, as_float, call_student, checker, expect, require_function

__all__ = ["check_linear_saliency", "check_fidelity"]


@checker(hints=[
        "For a linear model the gradient of a class score with respect to the input does "
        "not depend on the input.",
        "That gradient is the column of W belonging to the class.",
        "Take the absolute value of that column and reshape its 64 entries into the "
        "image's 8 by 8 grid.",
    ])
def check_linear_saliency(fn):
    """``fn(W, c)`` returns |W[:, c]| as an 8 x 8 map."""
    require_function(fn, "linear_saliency")
    W = np.random.default_rng(11).normal(size=(64, 10))
    for c in (0, 3, 9):
        got = as_array(call_student(fn, W.copy(), c), f"linear_saliency(W, {c})", shape=(8, 8))
        expect(np.all(got >= 0), "a saliency map is a magnitude: no negative values")
        expect(np.allclose(got, np.abs(W[:, c]).reshape(8, 8)),
               f"the map of class {c} is not the magnitude of the score's gradient "
               "(check which axis of W holds the classes, and the pixel order)")


@checker(hints=[
        "Fidelity is how often the surrogate agrees with the model, not with the true "
        "labels.",
        "Compare the two label arrays element by element and turn the matches into a "
        "fraction between 0 and 1.",
    ])
def check_fidelity(fn):
    """``fn(surrogate_pred, model_pred)`` is the fraction of equal labels."""
    require_function(fn, "fidelity")
    r = np.random.default_rng(12)
    model = r.integers(0, 10, 200)
    surrogate = np.where(r.random(200) < 0.7, model, (model + 1) % 10)
    truth = np.where(r.random(200) < 0.5, model, surrogate)
    got = as_float(call_student(fn, surrogate, model), "fidelity(surrogate_pred, model_pred)")
    expect(0.0 <= got <= 1.0, "fidelity is a fraction between 0 and 1")
    expect(abs(got - np.mean(surrogate == model)) < 1e-12,
           "the value is not the fraction of examples on which the two predictions agree")
    other = as_float(call_student(fn, truth, model), "fidelity")
    expect(abs(other - np.mean(truth == model)) < 1e-12, "the value is wrong on a second pair of arrays")
    same = as_float(call_student(fn, model, model.copy()), "fidelity of identical predictions")
    expect(same == 1.0, "identical predictions must have fidelity 1")
