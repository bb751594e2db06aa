"""dlcourse.data: shapes, dtypes, value ranges, balance, seeding and argument checks.

NumPy and scikit-learn only (no TensorFlow), so the file runs in a few seconds.
Statistical checks use sample sizes at which the stated tolerance is more than four
standard errors wide, and fixed seeds, so they cannot flake.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from dlcourse import data

# loader, kwargs, x shape, x dtype, y shape, y dtype
SPECS = [
    (data.make_linear, {}, (100, 1), np.float64, (100, 1), np.float64),
    (data.make_binary, {}, (200, 2), np.float64, (200,), np.int64),
    (data.make_binary, {"n": 51, "n_features": 10}, (51, 10), np.float64, (51,), np.int64),
    (data.make_moons, {}, (300, 2), np.float64, (300,), np.int64),
    (data.make_circles, {}, (300, 2), np.float64, (300,), np.int64),
    (data.make_spirals, {}, (300, 2), np.float64, (300,), np.int64),
    (data.make_sine_sequences, {}, (1000, 20, 1), np.float32, (1000, 1), np.float32),
    (data.make_sine_sequences, {"n": 7, "timesteps": 5}, (7, 5, 1), np.float32, (7, 1), np.float32),
    (data.make_adding_problem, {}, (1000, 50, 2), np.float32, (1000, 1), np.float32),
    (data.make_adding_problem, {"n": 9, "timesteps": 3}, (9, 3, 2), np.float32, (9, 1), np.float32),
]
SEEDED = [spec[:2] for spec in SPECS]
TWO_CLASS = [data.make_binary, data.make_moons, data.make_circles, data.make_spirals]


def _ids(spec):
    return f"{spec[0].__name__}({', '.join(f'{k}={v}' for k, v in spec[1].items())})"


@pytest.mark.parametrize("spec", SPECS, ids=_ids)
def test_shapes_and_dtypes(spec):
    fn, kwargs, x_shape, x_dtype, y_shape, y_dtype = spec
    ds = fn(**kwargs)
    x, y = ds  # a Dataset unpacks like the (x, y) pair it is
    assert isinstance(ds, tuple) and ds.x is x and ds.y is y
    assert (x.shape, x.dtype, y.shape, y.dtype) == (x_shape, x_dtype, y_shape, y_dtype)
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))


@pytest.mark.parametrize("fn, kwargs", SEEDED, ids=lambda v: getattr(v, "__name__", ""))
def test_same_seed_same_arrays_other_seed_other_arrays(fn, kwargs):
    a, b, c = fn(**kwargs, seed=5), fn(**kwargs, seed=5), fn(**kwargs, seed=6)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("fn, kwargs", SEEDED, ids=lambda v: getattr(v, "__name__", ""))
def test_global_numpy_state_is_left_alone(fn, kwargs):
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    fn(**kwargs)
    assert np.array_equal(np.random.rand(3), expected)


def test_dataset_repr_shows_shapes_not_numbers():
    assert repr(data.make_moons(n=10)) == "Dataset(x: (10, 2) float64, y: (10,) int64)"


# ---------------------------------------------------------------- article data


def test_make_linear_is_the_articles_data():
    """Article 000: np.random.seed(0); X = rand(100, 1); y = 3 * X + rand(100, 1)."""
    rs = np.random.RandomState(0)
    x_article = rs.rand(100, 1)
    y_article = 3 * x_article + rs.rand(100, 1)
    x, y = data.make_linear()
    assert np.array_equal(x, x_article) and np.array_equal(y, y_article)


def test_make_linear_noise_is_uniform_so_the_intercept_is_one_half():
    x, y = data.make_linear(n=20_000, slope=-2.0, seed=1)
    noise = y - (-2.0) * x
    assert x.min() >= 0 and x.max() < 1 and noise.min() >= 0 and noise.max() < 1
    slope, intercept = np.polyfit(x[:, 0], y[:, 0], 1)
    # Standard errors at n = 20,000: slope ~0.007, intercept ~0.004.
    assert abs(slope - (-2.0)) < 0.03 and abs(intercept - 0.5) < 0.02


def test_xor_is_the_truth_table():
    x, y = data.xor()
    assert x.dtype == y.dtype == np.float32 and x.shape == (4, 2) and y.shape == (4, 1)
    assert np.array_equal(y[:, 0], np.logical_xor(x[:, 0], x[:, 1]).astype(np.float32))
    assert sorted(map(tuple, x.tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1)]


# ---------------------------------------------------------------- two-class sets


@pytest.mark.parametrize("fn", TWO_CLASS)
@pytest.mark.parametrize("n", [2, 7, 300])
def test_two_class_sets_have_balanced_0_1_labels(fn, n):
    _, y = fn(n=n)
    assert set(np.unique(y)) <= {0, 1}
    assert np.bincount(y, minlength=2).tolist() == [n // 2, n - n // 2]


def test_make_binary_features_depend_on_the_label():
    x, y = data.make_binary(n=4000, n_features=5, separation=3.0, seed=2)
    gap = np.linalg.norm(x[y == 1].mean(0) - x[y == 0].mean(0))
    assert abs(gap - 3.0) < 0.2  # standard error of the gap ~0.03
    # Within a class the noise is standard normal.
    assert np.allclose(x[y == 0].std(0), 1.0, atol=0.1)


def _cv_accuracy(model, x, y):
    from sklearn.model_selection import cross_val_score

    return cross_val_score(model, x, y, cv=5).mean()


@pytest.mark.parametrize("fn", [data.make_circles, data.make_spirals])
def test_circles_and_spirals_need_a_nonlinear_model(fn):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    x, y = fn(n=400)
    assert _cv_accuracy(LogisticRegression(), x, y) < 0.75  # a line does poorly
    assert _cv_accuracy(KNeighborsClassifier(5), x, y) > 0.9  # the classes are learnable


def test_make_moons_and_circles_noise_zero_lies_on_the_curves():
    x, y = data.make_circles(n=100, noise=0.0, factor=0.3)
    r = np.linalg.norm(x, axis=1)
    assert np.allclose(r[y == 0], 1.0) and np.allclose(r[y == 1], 0.3)
    x, _ = data.make_moons(n=100, noise=0.0)
    assert x[:, 0].min() >= -1 - 1e-12 and x[:, 0].max() <= 2 + 1e-12


# ---------------------------------------------------------------- digits


@pytest.fixture(scope="module")
def digits():
    return {layout: data.load_digits(layout) for layout in ("flat", "image", "sequence")}


@pytest.mark.parametrize(
    "layout, feature_shape", [("flat", (64,)), ("image", (8, 8, 1)), ("sequence", (8, 8))]
)
def test_digits_layouts(digits, layout, feature_shape):
    d = digits[layout]
    assert d.layout == layout
    for part, n in [("train", 1079), ("val", 359), ("test", 359)]:
        x, y = getattr(d, f"x_{part}"), getattr(d, f"y_{part}")
        assert x.shape == (n, *feature_shape) and x.dtype == np.float32
        assert y.shape == (n,) and y.dtype == np.int64
        assert x.min() == 0.0 and x.max() == 1.0  # pixel / 16, and every part has a 16
        assert set(np.unique(y)) == set(range(10))


def test_digits_layouts_hold_the_same_pixels(digits):
    flat, image, seq = (digits[k].x_train for k in ("flat", "image", "sequence"))
    assert np.array_equal(image[..., 0], flat.reshape(-1, 8, 8))
    # Sequence layout: time step t is row t of the image, its 8 pixels the features.
    assert np.array_equal(seq[:, 3, :], image[:, 3, :, 0])


def test_digits_split_is_a_stratified_partition(digits):
    from sklearn.datasets import load_digits

    raw = load_digits()
    d = digits["flat"]
    parts = [(d.x_train, d.y_train), (d.x_val, d.y_val), (d.x_test, d.y_test)]
    # Every image lands in exactly one part (compared as multisets of rows).
    got = Counter((x.tobytes(), int(y)) for xs, ys in parts for x, y in zip(xs, ys))
    scaled = (raw.data / 16).astype(np.float32)
    assert got == Counter((x.tobytes(), int(y)) for x, y in zip(scaled, raw.target))
    # Stratified: each part holds each digit in the proportion of the whole, to 1 image.
    share = np.bincount(raw.target) / len(raw.target)
    for _, ys in parts:
        assert np.all(np.abs(np.bincount(ys, minlength=10) - share * len(ys)) <= 1)


def test_digits_seed_fixes_the_split():
    a, b, c = data.load_digits(seed=3), data.load_digits(seed=3), data.load_digits(seed=4)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, c.x_train)


def test_digits_sizes_follow_the_fractions():
    d = data.load_digits(val_size=0.1, test_size=0.3)
    assert (len(d.y_train), len(d.y_val), len(d.y_test)) == (1078, 180, 539)


def test_digits_repr():
    text = repr(data.load_digits("image"))
    assert text.startswith("DigitsSplit(layout='image'; train: x (1079, 8, 8, 1) float32")
    assert "test: x (359, 8, 8, 1) float32, y (359,) int64)" in text


# ---------------------------------------------------------------- sequences


def test_sine_target_is_the_noise_free_next_value():
    clean = data.make_sine_sequences(n=500, timesteps=10, noise=0.0, seed=1)
    noisy = data.make_sine_sequences(n=500, timesteps=10, noise=0.1, seed=1)
    # Same waves, noise only on the inputs.
    assert np.array_equal(clean.y, noisy.y)
    assert abs(float(np.std(noisy.x - clean.x)) - 0.1) < 0.005  # 5,000 draws: SE ~0.001
    # A sampled sine obeys s[t+1] = 2 cos(w) s[t] - s[t-1]: fit w per row, predict y.
    s = np.concatenate([clean.x[:, :, 0], clean.y], axis=1).astype(np.float64)
    num = ((s[:, 2:] + s[:, :-2]) * s[:, 1:-1]).sum(1)
    two_cos = num / (s[:, 1:-1] ** 2).sum(1)
    assert np.allclose(s[:, 2:], two_cos[:, None] * s[:, 1:-1] - s[:, :-2], atol=1e-5)
    assert np.abs(clean.y).max() <= 1.0


def test_adding_problem_marks_one_value_in_each_half():
    x, y = data.make_adding_problem(n=2000, timesteps=20, seed=3)
    values, markers = x[..., 0], x[..., 1]
    assert values.min() >= 0 and values.max() < 1
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert np.all(markers[:, :10].sum(1) == 1) and np.all(markers[:, 10:].sum(1) == 1)
    assert np.allclose(y[:, 0], (values * markers).sum(1), atol=1e-6)
    # Always answering 1 scores about 1/6, the variance of a sum of two uniforms
    # (standard error at n = 2000 ~0.004).
    assert abs(float(np.mean((y - 1) ** 2)) - 1 / 6) < 0.02


# ---------------------------------------------------------------- argument checks


BAD = [
    (data.make_linear, {"n": 0}, ValueError, "n must be >= 1"),
    (data.make_linear, {"n": 2.5}, TypeError, "n must be an integer"),
    (data.make_linear, {"slope": float("nan")}, ValueError, "slope must be finite"),
    (data.make_linear, {"seed": -1}, ValueError, "seed must be >= 0"),
    (data.make_linear, {"seed": None}, TypeError, "seed must be an integer"),
    (data.make_binary, {"n": 1}, ValueError, "n must be >= 2"),
    (data.make_binary, {"n_features": 0}, ValueError, "n_features must be >= 1"),
    (data.make_binary, {"separation": -1.0}, ValueError, "separation must be finite and >= 0"),
    (data.make_moons, {"noise": -0.1}, ValueError, "noise must be finite and >= 0"),
    (data.make_moons, {"n": "300"}, TypeError, "n must be an integer"),
    (data.make_circles, {"factor": 1.0}, ValueError, "factor must be in (0, 1)"),
    (data.make_circles, {"factor": 0.0}, ValueError, "factor must be finite and > 0"),
    (data.make_spirals, {"turns": 0.0}, ValueError, "turns must be finite and > 0"),
    (data.load_digits, {"layout": "images"}, ValueError, "layout must be one of 'flat', 'image', 'sequence'; received 'images'"),
    (data.load_digits, {"val_size": 1.2}, ValueError, "val_size must be in (0, 1)"),
    (data.load_digits, {"test_size": 0}, ValueError, "test_size must be finite and > 0"),
    (data.load_digits, {"val_size": 0.5, "test_size": 0.5}, ValueError, "val_size + test_size must be < 1"),
    (data.load_digits, {"val_size": 0.001}, ValueError, "at least one image per digit"),
    (data.load_digits, {"seed": 1.0}, TypeError, "seed must be an integer"),
    (data.make_sine_sequences, {"timesteps": 1}, ValueError, "timesteps must be >= 2"),
    (data.make_sine_sequences, {"noise": float("inf")}, ValueError, "noise must be finite"),
    (data.make_adding_problem, {"n": 0}, ValueError, "n must be >= 1"),
    (data.make_adding_problem, {"timesteps": 1}, ValueError, "timesteps must be >= 2"),
]


@pytest.mark.parametrize("fn, kwargs, error, message", BAD, ids=lambda v: getattr(v, "__name__", str(v)))
def test_bad_arguments_name_the_function_and_the_argument(fn, kwargs, error, message):
    with pytest.raises(error) as info:
        fn(**kwargs)
    text = str(info.value)
    assert text.startswith(f"{fn.__name__}: ") and message in text


def test_make_digit_rows_draws_whole_images_with_their_labels():
    d = data.load_digits(layout="image")
    rows = data.make_digit_rows(d.x_train, d.y_train, n=50, length=3, seed=4)
    assert rows.x.shape == (50, 3, 8, 8, 1) and rows.x.dtype == np.float32
    assert rows.y.shape == (50, 3) and rows.y.dtype == np.int64
    for i, t in [(0, 0), (7, 2), (49, 1)]:
        j = int(np.flatnonzero((d.x_train == rows.x[i, t]).all(axis=(1, 2, 3)))[0])
        assert d.y_train[j] == rows.y[i, t]
    again = data.make_digit_rows(d.x_train, d.y_train, n=50, length=3, seed=4)
    assert np.array_equal(again.x, rows.x) and np.array_equal(again.y, rows.y)
    assert not np.array_equal(data.make_digit_rows(d.x_train, d.y_train, 50, 3, 5).y, rows.y)


@pytest.mark.parametrize("args, words", [
    ((np.zeros((5, 8, 8)), np.zeros(5, int)), "images must be 4-D"),
    ((np.zeros((5, 8, 8, 1)), np.zeros(4, int)), "labels must be integers"),
    ((np.zeros((5, 8, 8, 1)), np.zeros(5)), "labels must be integers"),
    ((np.zeros((5, 8, 8, 1)), np.zeros(5, int), 0), "n"),
    ((np.zeros((5, 8, 8, 1)), np.zeros(5, int), 3, 0), "length"),
])
def test_make_digit_rows_rejects_bad_input(args, words):
    with pytest.raises((TypeError, ValueError), match=words):
        data.make_digit_rows(*args)
