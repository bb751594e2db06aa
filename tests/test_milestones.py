"""Tests of dlcourse.milestones: the milestones agree with references.bib, and the
perceptron rule does what Rosenblatt's theorem and Minsky & Papert's critique say."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from dlcourse import milestones
from dlcourse.milestones import (
    LABEL_MAX_CHARS,
    MILESTONES,
    Milestone,
    milestones_between,
    perceptron_fit,
    perceptron_predict,
    perceptron_update,
)

BIB = Path(__file__).resolve().parents[1] / "references.bib"

X_TABLE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND = np.array([0, 0, 0, 1])
OR = np.array([0, 1, 1, 1])
NAND = np.array([1, 1, 1, 0])
XOR = np.array([0, 1, 1, 0])


def _bib_entries() -> dict[str, str]:
    """key -> body of every entry in references.bib (a small parser: entries start
    with `@type{key,` at the start of a line and run to the next entry)."""
    text = BIB.read_text(encoding="utf-8")
    starts = list(re.finditer(r"^@(\w+)\{([^,\s]+),", text, flags=re.M))
    entries = {}
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        entries[m.group(2)] = text[m.start():end]
    return entries


def _bib_year(body: str) -> int:
    return int(re.search(r"^\s*year\s*=\s*\{?(\d{4})", body, flags=re.M).group(1))


# ----------------------------------------------------------------------------- milestones


def test_milestones_are_in_chronological_order():
    years = [m.year for m in MILESTONES]
    assert years == sorted(years)


def test_milestones_span_1943_to_the_2020s():
    assert MILESTONES[0].year == 1943
    assert MILESTONES[-1].year >= 2020


def test_every_cite_key_is_in_references_bib():
    entries = _bib_entries()
    missing = [m.cite for m in MILESTONES if m.cite not in entries]
    assert not missing, f"cite keys not in references.bib: {missing}"


def test_every_cited_entry_has_a_doi_or_url():
    entries = _bib_entries()
    bare = [
        m.cite for m in MILESTONES
        if not re.search(r"^\s*(doi|url)\s*=", entries[m.cite], flags=re.M)
    ]
    assert not bare, f"entries without a DOI or URL: {bare}"


# A milestone's year is the year of the work it cites, except where the idea is dated
# by an earlier unpublished thesis that the cited paper publishes or builds on.
THESIS_YEARS = {"linnainmaa1976taylor": 1970, "werbos1982applications": 1974}


def test_milestone_years_match_the_cited_works():
    entries = _bib_entries()
    wrong = [
        (m.label, m.year, _bib_year(entries[m.cite]))
        for m in MILESTONES
        if m.year != THESIS_YEARS.get(m.cite, _bib_year(entries[m.cite]))
    ]
    assert not wrong, f"(label, milestone year, bib year) that disagree: {wrong}"


@pytest.mark.parametrize(
    "cite, year",
    [
        ("mcculloch1943logical", 1943),
        ("hebb1949organization", 1949),
        ("rosenblatt1958perceptron", 1958),
        ("minsky1969perceptrons", 1969),
        ("linnainmaa1976taylor", 1970),
        ("werbos1982applications", 1974),
        ("fukushima1980neocognitron", 1980),
        ("rumelhart1986learning", 1986),
        ("lecun1989backpropagation", 1989),
        ("hochreiter1997long", 1997),
        ("lecun1998gradient", 1998),
        ("hinton2006fast", 2006),
        ("deng2009imagenet", 2009),
        ("krizhevsky2012imagenet", 2012),
        ("kingma2015adam", 2015),
        ("he2016deep", 2016),
        ("silver2016mastering", 2016),
        ("vaswani2017attention", 2017),
    ],
)
def test_the_milestones_the_chapter_promises_are_there(cite, year):
    assert [m.year for m in MILESTONES if m.cite == cite] == [year]


def test_labels_are_short_unique_and_single_line():
    labels = [m.label for m in MILESTONES]
    assert len(set(labels)) == len(labels)
    for label in labels:
        assert 0 < len(label) <= LABEL_MAX_CHARS and "\n" not in label, label
    assert LABEL_MAX_CHARS <= 24  # what plot_timeline can set without overlaps


def test_details_are_sentences():
    for m in MILESTONES:
        assert m.detail.strip().endswith("."), m.label
        assert len(m.detail) < 200, m.label


def test_milestone_validates_its_fields():
    with pytest.raises(ValueError, match="label must be at most 24 characters"):
        Milestone(2000, "x" * 25, "A detail.", "key")
    with pytest.raises(TypeError, match="year must be an integer; received '1958'"):
        Milestone("1958", "Perceptron", "A detail.", "key")
    with pytest.raises(TypeError, match="cite must be a non-empty string"):
        Milestone(1958, "Perceptron", "A detail.", "")
    assert str(MILESTONES[0]) == "1943  McCulloch-Pitts neuron"


def test_milestones_are_immutable():
    with pytest.raises(AttributeError):
        MILESTONES[0].year = 1944


def test_milestones_between_includes_both_ends():
    got = milestones_between(1958, 1969)
    assert [m.year for m in got] == [1958, 1969]
    assert milestones_between(1990, 1996) == ()
    assert milestones_between(1900, 2100) == MILESTONES
    assert all(2010 <= m.year <= 2019 for m in milestones_between(2010, 2019))


def test_milestones_between_rejects_bad_ranges():
    with pytest.raises(
        ValueError, match=r"milestones_between: start must be <= end; received start=2000, end=1990"
    ):
        milestones_between(2000, 1990)
    with pytest.raises(TypeError, match="milestones_between: start must be an integer year"):
        milestones_between(1950.5, 1990)


# ----------------------------------------------------------------------------- perceptron


def test_update_leaves_a_correct_example_alone():
    w, b = np.array([1.0, 1.0]), -1.5
    new_w, new_b = perceptron_update(w, b, [1.0, 1.0], 1)
    np.testing.assert_array_equal(new_w, w)
    assert new_b == b


def test_update_moves_towards_a_missed_positive_and_away_from_a_missed_negative():
    w, b = np.zeros(2), 0.0  # predicts 0 everywhere (H(0) = 0)
    new_w, new_b = perceptron_update(w, b, [1.0, 2.0], 1, learning_rate=0.5)
    np.testing.assert_array_equal(new_w, [0.5, 1.0])
    assert new_b == 0.5
    new_w, new_b = perceptron_update(new_w, new_b, [1.0, 1.0], 0, learning_rate=0.5)
    np.testing.assert_array_equal(new_w, [0.0, 0.5])
    assert new_b == 0.0


def test_update_does_not_modify_its_arguments():
    w = np.array([0.0, 0.0])
    perceptron_update(w, 0.0, np.array([1.0, 1.0]), 1)
    np.testing.assert_array_equal(w, [0.0, 0.0])


@pytest.mark.parametrize("name, y", [("AND", AND), ("OR", OR), ("NAND", NAND)])
def test_fit_separates_the_linearly_separable_gates(name, y):
    fit = perceptron_fit(X_TABLE, y)
    assert fit.converged, f"{name}: {fit}"
    np.testing.assert_array_equal(perceptron_predict(fit.w, fit.b, X_TABLE), y)


def test_fit_on_and_is_the_hand_computed_trajectory():
    # Worked by hand from w = 0, b = 0, eta = 1, examples in table order: mistakes
    # per epoch 1, 3, 3, 2, 1, 0 and the separator 2*x1 + x2 - 2 > 0.
    fit = perceptron_fit(X_TABLE, AND)
    assert fit.mistakes == [1, 3, 3, 2, 1, 0]
    np.testing.assert_array_equal(fit.w, [2.0, 1.0])
    assert fit.b == -2.0


def test_fit_never_fits_xor():
    fit = perceptron_fit(X_TABLE, XOR, epochs=200)
    assert not fit.converged
    assert len(fit.mistakes) == 200 and min(fit.mistakes) >= 1
    assert np.mean(perceptron_predict(fit.w, fit.b, X_TABLE) == XOR) <= 0.75


def test_no_threshold_unit_gets_more_than_three_xor_points_right():
    # Minsky & Papert's point on the smallest case: a grid of 41^3 weight settings,
    # none of which classifies all four XOR points.
    grid = np.linspace(-2, 2, 41)
    w1, w2, b = (a.ravel() for a in np.meshgrid(grid, grid, grid))
    out = (np.outer(X_TABLE[:, 0], w1) + np.outer(X_TABLE[:, 1], w2) + b > 0).astype(int)
    accuracy = (out == XOR[:, None]).mean(axis=0)
    assert accuracy.max() == 0.75


def test_mistakes_respect_the_convergence_theorem():
    # Novikoff's bound: on data separated with margin gamma by a unit vector in the
    # augmented space (x, 1), the rule makes at most (R / gamma)^2 mistakes, where
    # R = max ||(x, 1)||. Random separable data with a known separator.
    rng = np.random.default_rng(0)
    w_star = np.array([1.0, -2.0, 0.5, 0.3])  # last entry is the bias
    w_star /= np.linalg.norm(w_star)
    x = rng.uniform(-1, 1, size=(400, 3))
    x_aug = np.hstack([x, np.ones((400, 1))])
    margin = x_aug @ w_star
    keep = np.abs(margin) > 0.1
    x, x_aug, margin = x[keep], x_aug[keep], margin[keep]
    y = (margin > 0).astype(int)
    gamma = np.abs(margin).min()
    radius = np.linalg.norm(x_aug, axis=1).max()
    fit = perceptron_fit(x, y, epochs=1000)
    assert fit.converged
    assert sum(fit.mistakes) <= (radius / gamma) ** 2
    np.testing.assert_array_equal(perceptron_predict(fit.w, fit.b, x), y)


def test_learning_rate_only_rescales_from_zero():
    # From w = 0 every update is a multiple of eta, so eta rescales (w, b) and leaves
    # the mistakes unchanged.
    a = perceptron_fit(X_TABLE, AND, learning_rate=1.0)
    b = perceptron_fit(X_TABLE, AND, learning_rate=0.1)
    assert a.mistakes == b.mistakes
    np.testing.assert_allclose(b.w, 0.1 * a.w, rtol=1e-12)
    assert b.b == pytest.approx(0.1 * a.b, rel=1e-12)


def test_fit_accepts_column_labels_like_dlcourse_data():
    fit = perceptron_fit(X_TABLE.astype(np.float32), AND.reshape(-1, 1).astype(np.float32))
    assert fit.converged


def test_perceptron_fit_repr_is_short_and_informative():
    text = repr(perceptron_fit(X_TABLE, AND))
    assert text.startswith("PerceptronFit(w=[2., 1.], b=-2") and "converged=True" in text


# ----------------------------------------------------------------------------- bad input


def test_fit_names_both_shapes_on_a_length_mismatch():
    with pytest.raises(
        ValueError,
        match=r"perceptron_fit: x and y must have the same number of samples; "
        r"received x.shape=\(4, 2\) and y.shape=\(3,\)",
    ):
        perceptron_fit(X_TABLE, [0, 0, 1])


def test_fit_rejects_labels_that_are_not_0_1():
    with pytest.raises(ValueError, match="perceptron_fit: y must hold 0/1 labels"):
        perceptron_fit(X_TABLE, [-1, -1, -1, 1])


def test_fit_rejects_bad_x_and_settings():
    with pytest.raises(
        ValueError,
        match=r"perceptron_fit: x must be 2-D \(n_samples, n_features\); received shape \(4,\)",
    ):
        perceptron_fit([0, 1, 1, 0], XOR)
    with pytest.raises(ValueError, match="perceptron_fit: epochs must be >= 1; received 0"):
        perceptron_fit(X_TABLE, AND, epochs=0)
    with pytest.raises(ValueError, match="perceptron_fit: learning_rate must be finite and > 0"):
        perceptron_fit(X_TABLE, AND, learning_rate=-1.0)
    with pytest.raises(TypeError, match="perceptron_fit: x must be an array, received None"):
        perceptron_fit(None, AND)


def test_update_names_both_shapes_on_a_mismatch():
    with pytest.raises(
        ValueError,
        match=r"perceptron_update: w and x must have the same shape; "
        r"received w.shape=\(2,\) and x.shape=\(3,\)",
    ):
        perceptron_update(np.zeros(2), 0.0, np.ones(3), 1)
    with pytest.raises(ValueError, match="perceptron_update: y must be 0 or 1; received 2"):
        perceptron_update(np.zeros(2), 0.0, np.ones(2), 2)


def test_predict_checks_the_number_of_features():
    with pytest.raises(
        ValueError,
        match=r"perceptron_predict: x must have 2 features, as w does; "
        r"received x.shape=\(4, 3\) and w.shape=\(2,\)",
    ):
        perceptron_predict(np.zeros(2), 0.0, np.ones((4, 3)))


def test_public_names():
    assert set(milestones.__all__) >= {"Milestone", "MILESTONES", "milestones_between"}
    for name in milestones.__all__:
        assert getattr(milestones, name).__doc__ or name.isupper()


def test_the_module_is_named_for_what_it_holds():
    """``dlcourse.milestones`` holds the milestones and the perceptron; "history" keeps
    one meaning in the engine, the per-epoch record ``training.History`` that ``fit`` returns."""
    root = Path(__file__).resolve().parents[1]
    assert (root / "dlcourse" / "milestones.py").exists()
    assert not (root / "dlcourse" / "history.py").exists()
    old_name = "dlcourse." + "history"  # spelt in two parts so this file does not hold it
    for path in [*root.glob("book/**/*.ipynb"), *root.glob("dlcourse/**/*.py"), *root.glob("tests/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert old_name not in text, path
        assert not re.search(r"from (dlcourse|\.\.?) import [^\n]*\bhistory\b", text), path
