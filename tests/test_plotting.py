"""Tests of dlcourse.plotting, run headless (Agg backend).

A figure cannot be compared with a reference picture here without brittle image
diffs, so each test checks what the figure is made of: the number of Axes and of
artists (lines, images, collections, texts), the data they carry (equal to what was
passed in, or to dlcourse's own functions), labels and titles, that ``ax=``/``fig=``
is honoured, and that bad input raises an error naming the function and argument.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dlcourse import activations, plotting  # noqa: E402
from dlcourse.milestones import MILESTONES  # noqa: E402
from dlcourse.training import History  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def labelled(ax) -> bool:
    return bool(ax.get_xlabel()) and bool(ax.get_ylabel()) and bool(ax.get_title())


def image_axes(fig):
    return [a for a in fig.axes if a.images and a.get_label() != "<colorbar>"]


def fits(fig, width, height):
    w, h = fig.get_size_inches()
    return w <= width + 1e-9 and h <= height + 1e-9


def history_dict(epochs=5):
    t = np.arange(epochs)
    return {"loss": list(1.0 / (1 + t)), "val_loss": list(1.2 / (1 + t)),
            "accuracy": list(0.5 + 0.08 * t), "val_accuracy": list(0.45 + 0.08 * t)}


# ----------------------------------------------------------------- module hygiene


def test_changes_no_global_state_and_never_shows(monkeypatch, rng):
    before = dict(matplotlib.rcParams)

    def no_show(*args, **kwargs):
        raise AssertionError("plotting called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    plotting.plot_activations()
    plotting.plot_history(history_dict(), metrics=("loss", "accuracy"))
    plotting.plot_decision_boundary(lambda g: g[:, 0] > 0, rng.normal(size=(20, 2)),
                                    np.arange(20) % 2, resolution=20)
    plotting.plot_image_grid(rng.random((4, 8, 8)), labels=[0, 1, 2, 3])
    plotting.plot_reconstructions(rng.random((3, 64)), rng.random((3, 64)))
    plotting.plot_filters(rng.normal(size=(3, 3, 1, 4)))
    plotting.plot_feature_maps(rng.random((5, 5, 3)))
    plotting.plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    plotting.plot_loss_surface_path(lambda w: (w ** 2).sum(-1), rng.normal(size=(5, 2)),
                                    (-2, 2), (-2, 2), resolution=20)
    plotting.plot_timeline([(1958, "Perceptron"), (1986, "Backpropagation")])
    assert dict(matplotlib.rcParams) == before


def test_default_sizes(rng):
    """Single panels at most 6 x 4 inches; grids at most 8 inches either way."""
    single = [
        plotting.plot_history(history_dict()),
        plotting.plot_decision_boundary(lambda g: g[:, 0] > 0, rng.normal(size=(20, 2)),
                                        np.arange(20) % 2, resolution=20),
        plotting.plot_confusion_matrix([0, 1], [0, 1]),
        plotting.plot_loss_surface_path(lambda w: (w ** 2).sum(-1), np.zeros((2, 2)),
                                        (-1, 1), (-1, 1), resolution=10),
        plotting.plot_timeline(MILESTONES),
        plotting.plot_activations("relu"),
    ]
    for ax in single:
        assert fits(ax.figure, 6, 4), ax.get_title()
    grids = [
        plotting.plot_activations(),
        plotting.plot_history(history_dict(), metrics=("loss", "accuracy", "val_loss")),
        plotting.plot_image_grid(rng.random((40, 8, 8)), labels=np.arange(40), ncols=20),
        plotting.plot_reconstructions(rng.random((20, 8, 8)), rng.random((20, 8, 8)), n=20),
        plotting.plot_filters(rng.normal(size=(3, 3, 12, 3))),  # 8 rows (inputs) shown
        plotting.plot_feature_maps(rng.random((4, 4, 20)), ncols=2, shared_scale=True),
    ]
    for fig in grids:
        assert fits(fig, 8, 8), fig.get_suptitle()


# ------------------------------------------------------------------- activations


def test_activations_draws_each_function_and_derivative():
    fig = plotting.plot_activations()
    assert isinstance(fig, Figure)
    assert [a.get_title() for a in fig.axes] == ["step", "sigmoid", "tanh", "relu"]
    x = np.linspace(-5, 5, 501)
    for ax, name in zip(fig.axes, ["step", "sigmoid", "tanh", "relu"]):
        assert labelled(ax)
        curves = [ln for ln in ax.get_lines() if ln.get_label() in ("$f(x)$", "$f'(x)$")]
        assert len(curves) == 2
        fn, grad = activations.ACTIVATIONS[name]
        for line, expected in zip(curves, (fn(x), grad(x))):
            xs, ys = (np.asarray(d, float) for d in line.get_data())
            keep = ~np.isnan(xs)
            np.testing.assert_allclose(ys[keep], np.interp(xs[keep], x, expected), atol=1e-12)
        assert curves[1].get_linestyle() == "--"
    assert fig.get_suptitle()
    # the step's jump and ReLU's derivative at 0 are drawn as breaks (a NaN)
    assert np.isnan(np.asarray(fig.axes[0].get_lines()[2].get_xdata(), float)).any()
    assert np.isnan(np.asarray(fig.axes[3].get_lines()[3].get_xdata(), float)).any()


def test_activations_honours_ax():
    _, ax = plt.subplots()
    assert plotting.plot_activations("tanh", x=[-1, 0, 1], ax=ax) is ax
    assert ax.get_title() == "tanh"
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_activations(("relu", "leaky_relu"), ax=axes) is fig
    assert [a.get_title() for a in axes] == ["relu", "leaky_relu"]


def test_activations_bad_input():
    with pytest.raises(ValueError, match=r"plot_activations: names must be one of .*'swish'"):
        plotting.plot_activations(("relu", "swish"))
    with pytest.raises(ValueError, match=r"plot_activations: ax must be one matplotlib Axes "
                                         r"per panel \(2 panels\); received list of 1"):
        plotting.plot_activations(("relu", "tanh"), ax=[plt.subplots()[1]])
    with pytest.raises(ValueError, match=r"plot_activations: x must be 1-D"):
        plotting.plot_activations("relu", x=np.zeros((3, 3)))


# ----------------------------------------------------------------------- history


def test_history_from_dict_dataclass_and_keras_like_object():
    data = history_dict(epochs=4)
    sources = [data, History(history=data), SimpleNamespace(history=data)]
    for source in sources:
        ax = plotting.plot_history(source)
        train, val = ax.get_lines()
        np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4])
        np.testing.assert_allclose(train.get_ydata(), data["loss"])
        np.testing.assert_allclose(val.get_ydata(), data["val_loss"])
        assert (train.get_linestyle(), val.get_linestyle()) == ("-", "--")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "validation"]
        assert labelled(ax) and ax.get_xlabel() == "epoch"


def test_history_from_a_real_keras_fit():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((8, 2), dtype="float32")
    history = model.fit(x, np.ones((8, 1)), epochs=3, verbose=0, validation_data=(x, x[:, :1]))
    ax = plotting.plot_history(history)
    assert len(ax.get_lines()) == 2
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), history.history["loss"])


def test_history_several_metrics_and_runs():
    fig = plotting.plot_history(history_dict(), metrics=("loss", "accuracy"))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert [a.get_ylabel() for a in fig.axes] == ["loss", "accuracy"]
    runs = {"SGD": history_dict(), "Adam": {"loss": [0.5, 0.2, 0.1]}}
    ax = plotting.plot_history(runs, logy=True)
    assert [ln.get_label() for ln in ax.get_lines()] == ["SGD", "SGD (validation)", "Adam"]
    assert ax.get_lines()[0].get_color() != ax.get_lines()[2].get_color()
    assert ax.get_yscale() == "log"
    # the empty val_ lists of a dlcourse History without validation data are skipped
    quiet = History(history={"loss": [1.0, 0.5], "val_loss": [], "lr": [0.1, 0.1]})
    ax = plotting.plot_history(quiet)
    assert len(ax.get_lines()) == 1 and ax.get_title() == "Training loss"
    ax = plotting.plot_history({"lr": [0.1, 0.05]}, metrics="lr")
    assert ax.get_ylabel() == "learning rate" and ax.get_title() == "Learning rate per epoch"
    ax = plotting.plot_history({"loss": [1.0, 10.0, np.inf, np.nan]})  # divergence is drawn
    assert len(ax.get_lines()[0].get_ydata()) == 4


def test_history_honours_ax():
    _, ax = plt.subplots()
    assert plotting.plot_history(history_dict(), ax=ax) is ax
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_history(history_dict(), ("loss", "accuracy"), ax=axes) is fig
    assert axes[1].get_ylabel() == "accuracy"


def test_history_bad_input():
    with pytest.raises(ValueError, match=r"plot_history: metric 'mae' is not in the history.*"
                                         r"available: \['accuracy', 'loss'"):
        plotting.plot_history(history_dict(), metrics=("mae",))
    with pytest.raises(TypeError, match=r"plot_history: history must be a keras History.*list"):
        plotting.plot_history([1.0, 0.5])
    with pytest.raises(TypeError, match=r"plot_history: history\['loss'\] must be a numeric"):
        plotting.plot_history({"loss": ["a", "b"]})


# ------------------------------------------------------------- decision boundary


def test_decision_boundary_probabilities(rng):
    x = rng.normal(size=(50, 2))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    seen = []

    def predict(grid):
        seen.append(grid.shape)
        return 1 / (1 + np.exp(-(grid[:, 0] + grid[:, 1])))[:, None]  # (m, 1) like Keras

    ax = plotting.plot_decision_boundary(predict, x, y, resolution=30)
    assert seen == [(900, 2)]
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2
    np.testing.assert_allclose(scatters[1].get_offsets(), x[y == 1])
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2  # the shading and the P = 0.5 line
    assert len(ax.figure.axes) == 2  # plus the colour bar
    assert labelled(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["boundary ($P = 0.5$)", "class 0", "class 1"]


def test_decision_boundary_labels_and_softmax(rng):
    x = rng.normal(size=(60, 2))
    y3 = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0)
    ax = plotting.plot_decision_boundary(
        lambda g: (g[:, 0] > 0).astype(int) + (g[:, 1] > 0), x, y3, resolution=25)
    assert len([c for c in ax.collections if isinstance(c, PathCollection)]) == 3
    assert len(ax.figure.axes) == 1  # no colour bar for labels

    def softmax3(g):
        z = np.stack([g[:, 0], g[:, 1], -g[:, 0]], axis=1)
        return np.exp(z) / np.exp(z).sum(1, keepdims=True)

    one_hot = np.eye(3)[y3]
    _, ax = plt.subplots()
    assert plotting.plot_decision_boundary(softmax3, x, one_hot, ax=ax, resolution=25) is ax
    # -1/+1 labels (the perceptron's) and a constant prediction draw without warnings
    ypm = np.where(y3 > 0, 1, -1)
    ax = plotting.plot_decision_boundary(lambda g: np.ones(len(g)), x, ypm, resolution=10)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class -1", "class 1"]


def test_decision_boundary_bad_input(rng):
    x = rng.normal(size=(10, 2))
    y = np.arange(10) % 2
    with pytest.raises(ValueError, match=r"plot_decision_boundary: x must have shape "
                                         r"\(samples, 2\); received shape \(10, 3\)"):
        plotting.plot_decision_boundary(lambda g: g[:, 0], rng.normal(size=(10, 3)), y)
    with pytest.raises(ValueError, match=r"x.shape=\(10, 2\) and y.shape=\(9,\)"):
        plotting.plot_decision_boundary(lambda g: g[:, 0], x, y[:9])
    with pytest.raises(TypeError, match="plot_decision_boundary: predict_fn must be callable"):
        plotting.plot_decision_boundary("model", x, y)
    with pytest.raises(ValueError, match=r"predict_fn must return one value.*shape \(3,\)"):
        plotting.plot_decision_boundary(lambda g: np.zeros(3), x, y, resolution=5)
    with pytest.raises(ValueError, match="resolution must be >= 2"):
        plotting.plot_decision_boundary(lambda g: g[:, 0], x, y, resolution=1)


# ------------------------------------------------------------------ image grids


def test_image_grid_layouts_and_marks(rng):
    images = rng.random((10, 8, 8))
    labels = np.arange(10) % 10
    predictions = labels.copy()
    predictions[[2, 7]] = [5, 1]
    fig = plotting.plot_image_grid(images, labels, predictions, ncols=4)
    panels = image_axes(fig)
    assert len(panels) == 10 and len(fig.axes) == 10  # the two spare cells are removed
    np.testing.assert_array_equal(panels[3].images[0].get_array(), images[3])
    assert panels[2].get_title() == "5 (true 2)" and panels[0].get_title() == "0"
    assert panels[2].title.get_color() == plotting._WRONG
    assert panels[0].title.get_color() == plotting._RIGHT
    assert panels[2].spines["top"].get_linewidth() > panels[0].spines["top"].get_linewidth()
    assert fig.get_suptitle().startswith("Predictions: 8 of 10 right")
    # flat digits, a channel axis, and score rows for predictions are accepted
    flat = plotting.plot_image_grid(images.reshape(10, 64), labels=labels)
    assert image_axes(flat)[0].images[0].get_array().shape == (8, 8)
    scores = np.eye(10)[predictions]
    fig = plotting.plot_image_grid(images[..., None], labels, scores)
    assert image_axes(fig)[7].get_title() == "1 (true 7)"


def test_image_grid_honours_fig(rng):
    fig = plt.figure()
    assert plotting.plot_image_grid(rng.random((3, 5, 5)), fig=fig) is fig
    assert len(fig.axes) == 3


def test_image_grid_bad_input(rng):
    with pytest.raises(ValueError, match=r"plot_image_grid: images must be \(n, height, width\) "
                                         r"or \(n, height, width, 1\).*received shape \(8, 7\)"):
        plotting.plot_image_grid(np.zeros((8, 7)))
    with pytest.raises(ValueError, match=r"received shape \(2, 8, 8, 2\)"):
        plotting.plot_image_grid(np.zeros((2, 8, 8, 2)))
    with pytest.raises(ValueError, match=r"images.shape=\(3, 8, 8\) and labels.shape=\(2,\)"):
        plotting.plot_image_grid(np.zeros((3, 8, 8)), labels=[1, 2])
    with pytest.raises(ValueError, match="plot_image_grid: images holds 101 images"):
        plotting.plot_image_grid(np.zeros((101, 8, 8)))
    with pytest.raises(TypeError, match="plot_image_grid: fig must be a matplotlib Figure"):
        plotting.plot_image_grid(np.zeros((2, 8, 8)), fig=plt.subplots()[1])
    with pytest.raises(ValueError, match="plot_image_grid: images contains NaN"):
        plotting.plot_image_grid(np.full((2, 8, 8), np.nan))


def test_reconstructions(rng):
    x = rng.random((12, 64))
    x_hat = np.clip(x + 0.1, 0, 1)
    fig = plotting.plot_reconstructions(x, x_hat, n=5)
    panels = image_axes(fig)
    assert len(panels) == 10
    np.testing.assert_allclose(panels[0].images[0].get_array(), x[0].reshape(8, 8))
    np.testing.assert_allclose(panels[5].images[0].get_array(), x_hat[0].reshape(8, 8))
    mse = np.mean((x[0] - x_hat[0]) ** 2)
    assert panels[5].get_xlabel() == f"MSE {mse:.3f}"
    assert panels[0].get_ylabel() == "input" and panels[5].get_ylabel() == "reconstruction"
    assert fig.get_suptitle()
    assert len(image_axes(plotting.plot_reconstructions(x[:3], x_hat[:3], n=8))) == 6
    target = plt.figure()
    assert plotting.plot_reconstructions(x[:2], x_hat[:2], fig=target) is target


def test_reconstructions_bad_input():
    with pytest.raises(ValueError, match=r"plot_reconstructions: originals and reconstructions "
                                         r"must have the same shape; received originals.shape="
                                         r"\(4, 64\) and reconstructions.shape=\(4, 8, 8\)"):
        plotting.plot_reconstructions(np.zeros((4, 64)), np.zeros((4, 8, 8)))
    with pytest.raises(ValueError, match="plot_reconstructions: n must be >= 1"):
        plotting.plot_reconstructions(np.zeros((4, 64)), np.zeros((4, 64)), n=0)


# --------------------------------------------------------------- convolutions


def test_filters_single_and_multi_channel(rng):
    w = rng.normal(size=(3, 3, 1, 8))
    fig = plotting.plot_filters(w)
    panels = image_axes(fig)
    assert len(panels) == 8 and len(fig.axes) == 9  # plus the colour bar
    np.testing.assert_allclose(panels[5].images[0].get_array(), w[:, :, 0, 5])
    vmin, vmax = panels[0].images[0].get_clim()
    assert vmin == -vmax == -np.abs(w).max()
    assert len(panels[0].texts) == 9  # 3x3 weights written in
    assert panels[0].get_title() == "filter 0"

    w = rng.normal(size=(5, 5, 3, 6))
    fig = plotting.plot_filters(w)
    panels = image_axes(fig)
    assert len(panels) == 18 and not panels[0].texts
    np.testing.assert_allclose(panels[6 + 2].images[0].get_array(), w[:, :, 1, 2])
    assert panels[6].get_ylabel() == "input 1"
    fig = plotting.plot_filters(rng.normal(size=(3, 3, 1, 40)), max_filters=16)
    assert len(image_axes(fig)) == 16 and "first 16 of 40 filters" in fig.get_suptitle()
    fig = plotting.plot_filters(np.array([[-1.0, 0.0, 1.0]] * 3))  # one 2-D filter
    assert [t.get_text() for t in image_axes(fig)[0].texts][:3] == ["-1", "0", "1"]


def test_filters_bad_input():
    with pytest.raises(ValueError, match=r"plot_filters: kernel must be 2-D or 4-D \(height, "
                                         r"width, in_channels, out_channels\); received shape "
                                         r"\(3, 3, 8\)"):
        plotting.plot_filters(np.zeros((3, 3, 8)))
    with pytest.raises(TypeError, match="plot_filters: fig must be"):
        plotting.plot_filters(np.zeros((3, 3)), fig="figure")


def test_feature_maps(rng):
    maps = rng.random((6, 6, 10))
    fig = plotting.plot_feature_maps(maps, ncols=4)
    panels = image_axes(fig)
    assert len(panels) == 10 and len(fig.axes) == 10
    np.testing.assert_allclose(panels[9].images[0].get_array(), maps[:, :, 9])
    assert panels[9].get_title() == "channel 9"
    fig = plotting.plot_feature_maps(maps[None], shared_scale=True, max_maps=4)
    assert len(image_axes(fig)) == 4 and len(fig.axes) == 5
    assert image_axes(fig)[0].images[0].get_clim() == (maps.min(), maps.max())
    assert "first 4 shown" in fig.get_suptitle()


def test_feature_maps_bad_input():
    with pytest.raises(ValueError, match=r"plot_feature_maps: maps must be \(height, width, "
                                         r"channels\) or a batch of one.*\(2, 6, 6, 4\)"):
        plotting.plot_feature_maps(np.zeros((2, 6, 6, 4)))
    with pytest.raises(ValueError, match=r"plot_feature_maps: maps must be 3-D or 4-D"):
        plotting.plot_feature_maps(np.zeros((6, 6)))


# ------------------------------------------------------------- confusion matrix


def test_confusion_matrix_counts():
    from sklearn.metrics import confusion_matrix

    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2, 2, 0, 2])
    ax = plotting.plot_confusion_matrix(y_true, y_pred)
    counts = confusion_matrix(y_true, y_pred)
    assert [int(t.get_text()) for t in ax.texts] == counts.ravel().tolist()
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    assert labelled(ax)
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    assert f"accuracy {6 / 9:.3f}" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]


def test_confusion_matrix_options_and_ax():
    y_true = np.eye(3)[[0, 1, 2, 2]]  # one-hot
    probs = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3], [0.0, 0.1, 0.9]])
    _, ax = plt.subplots()
    out = plotting.plot_confusion_matrix(y_true, probs, labels=[2, 1, 0], ax=ax, normalize="true")
    assert out is ax
    assert [t.get_text() for t in ax.texts[:3]] == ["0.50", "0.50", "0.00"]  # row of class 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "1", "0"]
    # one column of sigmoid probabilities is thresholded at 0.5
    ax = plotting.plot_confusion_matrix([0, 1, 1], [[0.2], [0.9], [0.4]])
    assert [t.get_text() for t in ax.texts] == ["1", "0", "1", "1"]


def test_confusion_matrix_bad_input():
    with pytest.raises(ValueError, match=r"y_true.shape=\(3,\) and y_pred.shape=\(2,\)"):
        plotting.plot_confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="plot_confusion_matrix: normalize must be one of"):
        plotting.plot_confusion_matrix([0, 1], [0, 1], normalize="rows")
    with pytest.raises(ValueError, match=r"plot_confusion_matrix: y_pred must hold class labels"):
        plotting.plot_confusion_matrix([0, 1], [0.5, 2.5])
    with pytest.raises(ValueError, match=r"plot_confusion_matrix: labels must include at least "
                                         r"one class that occurs in y_true; received labels "
                                         r"\[7, 8\] and y_true classes \[0, 1\]"):
        plotting.plot_confusion_matrix([0, 1], [0, 1], labels=[7, 8])


# ------------------------------------------------------------------ loss surface


def test_loss_surface_paths(rng):
    def bowl(w):
        return w[..., 0] ** 2 + 10 * w[..., 1] ** 2

    paths = {"SGD": rng.normal(size=(31, 2)), "Adam": rng.normal(size=(11, 2))}
    ax = plotting.plot_loss_surface_path(bowl, paths, (-2, 2), (-1, 1), resolution=40,
                                         minimum=(0, 0))
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels[:1] == ["SGD (30 steps)"] and "Adam (10 steps)" in labels
    assert {"start", "minimum"} <= set(labels)
    sgd = ax.get_lines()[0]
    np.testing.assert_allclose(np.column_stack(sgd.get_data()), paths["SGD"])
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2 and len(ax.figure.axes) == 2
    assert labelled(ax) and (ax.get_xlim(), ax.get_ylim()) == ((-2, 2), (-1, 1))

    # a loss that only takes one point at a time gives the same contour levels
    _, ax2 = plt.subplots()
    out = plotting.plot_loss_surface_path(lambda w: float(bowl(np.asarray(w))),
                                          paths["SGD"], (-2, 2), (-1, 1), ax=ax2, resolution=40)
    assert out is ax2
    levels2 = [c for c in ax2.collections if isinstance(c, ContourSet)][0].levels
    np.testing.assert_allclose(levels2, contours[0].levels)
    assert ax2.get_lines()[0].get_label() == "path (30 steps)"


def test_loss_surface_bad_input():
    bowl = lambda w: (w ** 2).sum(-1)  # noqa: E731
    with pytest.raises(ValueError, match=r"plot_loss_surface_path: paths\['SGD'\] must have "
                                         r"shape \(steps, 2\); received shape \(5, 3\)"):
        plotting.plot_loss_surface_path(bowl, {"SGD": np.zeros((5, 3))}, (-1, 1), (-1, 1))
    with pytest.raises(ValueError, match=r"plot_loss_surface_path: xlim must be a pair \(low, "
                                         r"high\) with low < high"):
        plotting.plot_loss_surface_path(bowl, np.zeros((2, 2)), (1, -1), (-1, 1))

    def broken(w):
        raise RuntimeError("no")

    with pytest.raises(TypeError, match=r"plot_loss_surface_path: loss_fn must map w"):
        plotting.plot_loss_surface_path(broken, np.zeros((2, 2)), (-1, 1), (-1, 1), resolution=3)


# ---------------------------------------------------------------------- timeline


def label_texts(ax):
    return [t for t in ax.texts if not t.get_text().isdigit()]


def test_timeline_alternates_and_sorts():
    events = [(1986, "Backpropagation"), (1943, "McCulloch-Pitts neuron"),
              {"year": 2012, "label": "AlexNet"}, SimpleNamespace(year=1958, label="Perceptron")]
    ax = plotting.plot_timeline(events)
    years = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert years == ["1943", "1958", "1986", "2012"]
    labels = label_texts(ax)
    assert [t.get_text().replace("\n", " ") for t in labels] == [
        "McCulloch-Pitts neuron", "Perceptron", "Backpropagation", "AlexNet"]
    heights = [t.xy[1] for t in labels]
    assert heights[0] > 0 > heights[1] and heights[2] > 0 > heights[3]
    assert ax.get_xlabel() and ax.get_title() == "Timeline, 1943-2012"
    ax = plotting.plot_timeline(events, spacing="year")
    assert [t.xy[0] for t in label_texts(ax)] == [1943, 1958, 1986, 2012]
    assert ax.get_xlabel() == "year"


def test_timeline_of_the_milestones_is_readable():
    """No two texts overlap and none leaves the figure, for all the milestones."""
    ax = plotting.plot_timeline(MILESTONES)
    fig = ax.figure
    assert len(ax.texts) == 2 * len(MILESTONES)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    page = fig.bbox
    for i, a in enumerate(boxes):
        assert page.x0 <= a.x0 and a.x1 <= page.x1 and page.y0 <= a.y0 and a.y1 <= page.y1, \
            ax.texts[i].get_text()
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), (ax.texts[i].get_text(), ax.texts[j].get_text())


def test_timeline_honours_ax_and_rejects_bad_events():
    _, ax = plt.subplots()
    assert plotting.plot_timeline([(2017, "Transformer")], ax=ax) is ax
    with pytest.raises(ValueError, match="plot_timeline: events must hold at least one event"):
        plotting.plot_timeline([])
    with pytest.raises(TypeError, match=r"plot_timeline: each event must have .year and .label.*"
                                        r"event 1 is 'AlexNet'"):
        plotting.plot_timeline([(1958, "Perceptron"), "AlexNet"])
    with pytest.raises(TypeError, match="plot_timeline: event 0 must have a numeric year"):
        plotting.plot_timeline([("1958", "Perceptron")])
    with pytest.raises(ValueError, match="plot_timeline: spacing must be one of"):
        plotting.plot_timeline([(1958, "Perceptron")], spacing="log")
