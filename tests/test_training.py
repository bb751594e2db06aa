"""dlcourse.training: the loop against keras.Model.fit, and the networks it trains.

The Keras comparison runs Keras in float64 (floatx and the dtype policy, restored
after the test) with ``shuffle=False``, so both loops see the same batches in the
same order; hyper-parameters are exact in float32 (Keras casts Python floats through
float32), and the loss histories and final weights then agree to float64 round-off:
atol=1e-12.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402

from dlcourse.data import load_digits, xor  # noqa: E402
from dlcourse.layers import Dense, Dropout, Sequential  # noqa: E402
from dlcourse.optimizers import SGD, Adam, ReduceLROnPlateau, exponential_decay, step_decay  # noqa: E402
from dlcourse.training import History, accuracy, evaluate, fit  # noqa: E402

ATOL = 1e-12  # float64 on both sides, same batches, same formulas


@pytest.fixture
def keras_float64():
    """Keras in float64 for one test. Both settings are needed: the global dtype
    policy is cached from floatx the first time any layer is built."""
    old_floatx, old_policy = keras.config.floatx(), keras.config.dtype_policy()
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(old_floatx)
        keras.config.set_dtype_policy(old_policy)


def _weights(model):
    return [p for p, _ in model.parameters()]


def _keras_twin(model, l2=0.0):
    twin = keras.Sequential(
        [keras.Input(shape=(model.layers[0].n_in,))]
        + [
            keras.layers.Dense(
                layer.n_out,
                activation=layer.activation,
                kernel_regularizer=keras.regularizers.L2(l2) if l2 else None,
            )
            for layer in model.layers
        ]
    )
    twin.set_weights([w.copy() for w in _weights(model)])
    return twin


@pytest.mark.parametrize("batch_size, l2", [(None, 0.0), (8, 2**-7)], ids=["full-batch", "mini-batch-l2"])
def test_fit_matches_keras_fit_regression(keras_float64, batch_size, l2):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 3))
    y = np.sin(x.sum(axis=1, keepdims=True))
    model = Sequential([Dense(3, 5, "tanh", rng=0), Dense(5, 1, rng=1)])
    twin = _keras_twin(model, l2)
    twin.compile(optimizer=keras.optimizers.Adam(0.0625, beta_1=0.875, beta_2=0.9990234375), loss="mse")
    theirs = twin.fit(x, y, batch_size=batch_size or len(x), epochs=10, shuffle=False, verbose=0)
    ours = fit(model, x, y, loss="mse", optimizer=Adam(0.0625, beta_1=0.875, beta_2=0.9990234375),
               epochs=10, batch_size=batch_size, shuffle=False, l2=l2)
    np.testing.assert_allclose(ours.history["loss"], theirs.history["loss"], atol=ATOL)
    for w, kw in zip(_weights(model), twin.get_weights()):
        np.testing.assert_allclose(w, kw, atol=ATOL)


def test_fit_matches_keras_fit_classification(keras_float64):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 4))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)  # three classes
    model = Sequential([Dense(4, 6, "relu", rng=2), Dense(6, 3, rng=3)])
    twin = _keras_twin(model)
    twin.compile(
        optimizer=keras.optimizers.SGD(0.25, momentum=0.875),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    theirs = twin.fit(x, y, batch_size=16, epochs=8, shuffle=False, verbose=0,
                      validation_data=(x[:10], y[:10]))
    ours = fit(model, x, y, loss="softmax_crossentropy", optimizer=SGD(0.25, momentum=0.875),
               epochs=8, batch_size=16, shuffle=False, validation_data=(x[:10], y[:10]))
    for key in ["loss", "accuracy", "val_loss", "val_accuracy"]:
        np.testing.assert_allclose(ours.history[key], theirs.history[key], atol=ATOL, err_msg=key)


def test_mlp_learns_digits_from_scratch():
    data = load_digits(layout="flat", seed=0)
    model = Sequential([Dense(64, 64, "relu", init="he_uniform", rng=0), Dense(64, 10, rng=1)])
    start = time.perf_counter()
    history = fit(model, data.x_train, data.y_train, loss="softmax_crossentropy",
                  optimizer=Adam(0.005), epochs=30, batch_size=32, rng=0,
                  validation_data=(data.x_val, data.y_val))
    seconds = time.perf_counter() - start
    test = evaluate(model, data.x_test, data.y_test, loss="softmax_crossentropy")
    assert test["accuracy"] >= 0.95, test
    assert history.history["val_accuracy"][-1] >= 0.93
    assert history.history["loss"][-1] < history.history["loss"][0] / 10
    # ~1 s on 2 CPU cores; a generous bound that still catches an accidentally slow loop
    assert seconds < 20, f"30 epochs took {seconds:.1f} s"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_2_4_1_network_learns_xor(seed):
    x, y = xor()
    net = Sequential([Dense(2, 4, "tanh", rng=seed), Dense(4, 1, "sigmoid", rng=seed + 10)])
    history = fit(net, x, y, loss="binary_crossentropy", optimizer=SGD(0.5, momentum=0.9),
                  epochs=300, rng=seed)
    assert history.history["accuracy"][-1] == 1.0
    assert accuracy(y, net.predict(x)) == 1.0
    assert history.history["loss"][-1] < 0.01


def test_training_is_deterministic_for_a_given_rng():
    data = load_digits(layout="flat", seed=0)

    def run(seed):
        model = Sequential([Dense(64, 16, "relu", rng=0), Dropout(0.2, rng=1), Dense(16, 10, rng=2)])
        h = fit(model, data.x_train[:300], data.y_train[:300], loss="softmax_crossentropy",
                optimizer=SGD(0.1), epochs=3, batch_size=20, rng=seed)
        return h.history["loss"], _weights(model)

    (loss_a, w_a), (loss_b, w_b), (loss_c, _) = run(5), run(5), run(6)
    assert loss_a == loss_b
    for a, b in zip(w_a, w_b):
        np.testing.assert_array_equal(a, b)
    assert loss_a != loss_c  # another shuffling order gives another path


@pytest.mark.parametrize("batch_size, steps", [(None, 1), (1, 10), (4, 3), (100, 1)])
def test_batch_size_picks_the_gradient_descent_variant(batch_size, steps):
    x, y = np.arange(10.0).reshape(10, 1), np.arange(10.0)
    opt = SGD(0.001)
    fit(Sequential([Dense(1, 1, rng=0)]), x, y, loss="mse", optimizer=opt, epochs=2,
        batch_size=batch_size, rng=0)
    assert opt.iterations == 2 * steps  # full batch: 1 step/epoch; SGD: n; k: ceil(n/k)


def test_full_batch_gradient_descent_is_the_textbook_update():
    # y = 3x fitted by w, b with plain GD on the MSE: w <- w - lr * 2 mean((wx+b-y) x)
    x = np.linspace(0, 1, 11).reshape(-1, 1)
    y = 3 * x
    model = Sequential([Dense(1, 1, init="zeros")])
    fit(model, x, y, loss="mse", optimizer=SGD(0.5), epochs=1, shuffle=False)
    np.testing.assert_allclose(model.layers[0].params["W"], [[0.5 * 2 * np.mean(3 * x * x)]])
    np.testing.assert_allclose(model.layers[0].params["b"], [0.5 * 2 * np.mean(3 * x)])


def test_schedules_set_the_learning_rate_per_epoch():
    x, y = np.random.default_rng(0).normal(size=(8, 2)), np.zeros(8)
    model = Sequential([Dense(2, 1, rng=0)])
    h = fit(model, x, y, loss="mse", optimizer=SGD(1.0), epochs=7,
            schedule=step_decay(0.1, 0.5, 3), rng=0)
    assert h.history["lr"] == pytest.approx([0.1] * 3 + [0.05] * 3 + [0.025])
    h = fit(model, x, y, loss="mse", optimizer=SGD(1.0), epochs=4,
            schedule=exponential_decay(0.1, 0.5, 2), rng=0)
    assert h.history["lr"] == pytest.approx([0.1 * 0.5 ** (e / 2) for e in range(4)])


def test_reduce_lr_on_plateau_inside_fit():
    x, y = np.random.default_rng(0).normal(size=(8, 2)), np.zeros(8)
    # min_delta so large that no epoch after the first counts as an improvement
    plateau = ReduceLROnPlateau(factor=0.5, patience=1, min_delta=10.0)
    h = fit(Sequential([Dense(2, 1, rng=0)]), x, y, loss="mse", optimizer=SGD(0.2),
            epochs=4, schedule=plateau, rng=0)
    assert h.history["lr"] == pytest.approx([0.2, 0.2, 0.1, 0.05])


def test_history_and_verbose_output(capsys):
    x, y = xor()
    net = Sequential([Dense(2, 3, "tanh", rng=0), Dense(3, 1, "sigmoid", rng=1)])
    h = fit(net, x, y, loss="binary_crossentropy", optimizer=SGD(0.1), epochs=4, rng=0,
            validation_data=(x, y), verbose=2)
    assert isinstance(h, History) and h.epochs == 4
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert all(len(v) == 4 for v in h.history.values())
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 2/4  loss ")
    assert repr(h).startswith("History(epochs=4, loss=")
    # dropout off and no update in evaluate: val_* after the last epoch are evaluate()'s
    assert evaluate(net, x, y, loss="binary_crossentropy")["loss"] == pytest.approx(h.history["val_loss"][-1])


def test_accuracy_from_logits_probabilities_and_one_hot():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 1.0]])
    assert accuracy([0, 1, 0], logits) == pytest.approx(2 / 3)
    assert accuracy(np.eye(3)[[0, 1, 2]], logits) == 1.0
    assert accuracy([[1], [0]], [[0.7], [0.6]]) == 0.5


# ---------------------------------------------------------------- bad input


def _args(**override):
    x, y = np.zeros((6, 2)), np.zeros(6)
    kw = dict(model=Sequential([Dense(2, 1, rng=0)]), x=x, y=y, loss="mse",
              optimizer=SGD(0.1), epochs=1)
    kw.update(override)
    return kw


@pytest.mark.parametrize(
    "override, error, message",
    [
        (dict(y=np.zeros(5)), ValueError,
         "fit: x and y must have the same number of samples; received x.shape=(6, 2) and y.shape=(5,)"),
        (dict(batch_size=0), ValueError, "fit: batch_size must be >= 1; received 0"),
        (dict(epochs=0), ValueError, "fit: epochs must be >= 1; received 0"),
        (dict(loss="hinge"), ValueError, "fit: loss must be one of"),
        (dict(optimizer="adam"), TypeError, "fit: optimizer must be a dlcourse.optimizers optimizer"),
        (dict(l2=-1.0), ValueError, "fit: l2 must be finite and >= 0"),
        (dict(x=np.zeros(6)), ValueError, "fit: x must be 2-D or 3-D or 4-D (samples, ...); received shape (6,)"),
        (dict(x=np.zeros((6, 3))), ValueError,
         "Dense(2->1, linear): expected input of shape (batch, 2); received shape (1, 3)"),
        (dict(y=np.zeros((6, 2))), ValueError,
         "fit: loss='mse' needs model outputs of shape (samples, 2); received model output shape (1, 1)"),
        (dict(y=np.array([0, 1, 2, 0, 1, 2]), loss="softmax_crossentropy"), ValueError,
         "needs model outputs of logits of shape (samples, classes) with classes >= 3"),
        (dict(y=np.full(6, 0.5), loss="softmax_crossentropy"), ValueError,
         "fit: y must hold integer class labels"),
        (dict(schedule=0.1), TypeError, "fit: schedule must be callable(epoch) -> lr"),
        (dict(validation_data=np.zeros((2, 2))), TypeError, "fit: validation_data must be a pair"),
        (dict(validation_data=(np.zeros((3, 2)), np.zeros(2))), ValueError,
         "fit: x_val and y_val must have the same number of samples; received x_val.shape=(3, 2) and y_val.shape=(2,)"),
        (dict(rng="seed"), TypeError, "fit: rng must be a numpy.random.Generator"),
        (dict(y=[0, 1, np.nan, 0, 1, 0]), ValueError, "fit: y contains NaN or infinity"),
        (dict(x=np.zeros((0, 2)), y=np.zeros(0)), ValueError,
         "fit: x must hold at least one sample; received shape (0, 2)"),
    ],
)
def test_bad_fit_arguments_are_refused(override, error, message):
    with pytest.raises(error) as err:
        fit(**_args(**override))
    assert message in str(err.value)


def test_negative_learning_rate_is_refused():
    with pytest.raises(ValueError, match="SGD: learning_rate must be finite and >= 0; received -0.1"):
        fit(**_args(optimizer=SGD(-0.1)))


def test_bad_evaluate_and_accuracy_arguments():
    model = Sequential([Dense(2, 3, rng=0)])
    with pytest.raises(ValueError, match=r"evaluate: x and y .* x.shape=\(4, 2\) and y.shape=\(3,\)"):
        evaluate(model, np.zeros((4, 2)), np.zeros(3), loss="softmax_crossentropy")
    with pytest.raises(ValueError, match=r"accuracy: y_true and y_pred .* y_true.shape=\(2,\) and y_pred.shape=\(3, 3\)"):
        accuracy([0, 1], np.zeros((3, 3)))


def test_fit_prints_the_one_epoch_line_format(capsys):
    """fit's verbose line and Keras's EpochLogger share dlcourse.training.format_epoch."""
    from dlcourse import models, training
    assert models._format_epoch is training.format_epoch
    x, y = xor()
    net = Sequential([Dense(2, 3, "tanh", rng=0), Dense(3, 1, "sigmoid", rng=1)])
    h = fit(net, x, y, loss="binary_crossentropy", optimizer=SGD(0.1), epochs=3, rng=0, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    last = {k: v[-1] for k, v in h.history.items()}
    assert lines[-1] == training.format_epoch(3, 3, last)
    assert lines[-1] == (f"epoch 3/3  loss {last['loss']:.4f}  accuracy {last['accuracy']:.4f}  "
                         f"lr 0.1")


def test_fit_loop_reads_in_one_screen():
    """The argument checks live in a helper, so fit's body (what a chapter shows) is short."""
    import inspect
    from dlcourse import training
    source = inspect.getsource(training.fit)
    body = source.split('"""')[2].strip().splitlines()  # after the docstring
    assert len(body) <= 40, len(body)
    with pytest.raises(TypeError, match=r"^fit: verbose must be an integer; received array"):
        fit(Sequential([Dense(2, 1, rng=0)]), np.ones((2, 2)), np.ones(2), loss="mse",
            optimizer=SGD(0.1), epochs=1, verbose=np.array([1, 2]))
