"""The shared argument checks of dlcourse._validate, and the one meaning they give.

Every public function of the engine checks its arguments through these helpers, so
one test here states a rule for all of them: ``rng=None`` is repeatable under the
global seed, a yes/no option is only a ``bool``, an option string only a ``str``,
and an array is real and finite (complex, strings and NaN are refused by name).
"""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import initializers, layers, optimizers, regularization, training
from dlcourse._validate import as_array, as_rng, check_grad_out, flag, one_of
from dlcourse.conv import Conv2D


def _draw_with_none():
    """One draw from every public function that takes ``rng``, each given ``None``."""
    x = np.ones((4, 3))
    model = layers.Sequential([layers.Dense(3, 1, rng=0)])
    fit = training.fit(model, np.arange(12.0).reshape(4, 3), np.arange(4.0), loss="mse",
                       optimizer=optimizers.SGD(0.01), epochs=2, batch_size=1, rng=None)
    return [
        initializers.glorot_uniform(2, 2, None),
        initializers.glorot_normal(2, 2, None),
        initializers.he_uniform(2, 2, None),
        initializers.he_normal(2, 2, None),
        initializers.small_random((2, 2), None),
        layers.Dense(2, 2).params["W"],
        Conv2D(1, 2, 3).params["W"],
        layers.Dropout(0.5).forward(x, training=True),
        regularization.dropout(x, 0.5, None)[0],
        np.array(fit.history["loss"]),
    ]


def test_rng_none_repeats_after_seeding_numpy_global_state():
    """``rng=None`` draws its seed from NumPy's global state: after ``np.random.seed(0)``
    the same call gives the same numbers, in every function that takes an rng."""
    np.random.seed(0)
    first = _draw_with_none()
    np.random.seed(0)
    again = _draw_with_none()
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    later = _draw_with_none()  # not a fixed seed: the global state moved on
    assert not np.array_equal(first[0], later[0])


def test_as_rng_accepts_a_generator_or_a_seed_and_names_anything_else():
    g = np.random.default_rng(1)
    assert as_rng(g, "f") is g
    assert as_rng(5, "f").random() == np.random.default_rng(5).random()
    assert as_rng(np.int64(5), "f").random() == np.random.default_rng(5).random()
    for bad in [True, 1.5, "0", [0]]:
        with pytest.raises(TypeError, match=r"^f: rng must be a numpy.random.Generator, an int "
                                            r"seed or None; received "):
            as_rng(bad, "f")
    with pytest.raises(ValueError, match=r"^f: rng as an int seed must be >= 0; received -1"):
        as_rng(-1, "f")


@pytest.mark.parametrize("value, shown", [("False", "'False'"), (-1, "-1"), (1, "1"), ({}, "{}"),
                                          (None, "None"),
                                          (np.array([True]), "an array of shape (1,)")])
def test_flag_accepts_only_a_bool(value, shown):
    with pytest.raises(TypeError) as err:
        flag(value, "nesterov", "SGD")
    assert str(err.value) == f"SGD: nesterov must be True or False; received {shown}"


def test_flag_returns_a_python_bool():
    assert flag(True, "a", "f") is True and flag(np.False_, "a", "f") is False


@pytest.mark.parametrize("value, shown", [(np.array(["relu"]), "an array of shape (1,)"),
                                          (None, "None"), (3, "3"), (b"relu", "b'relu'")])
def test_one_of_accepts_only_a_str(value, shown):
    with pytest.raises(TypeError) as err:
        one_of(value, "activation", "Dense", ("relu", "tanh"))
    assert str(err.value) == (f"Dense: activation must be a str, one of 'relu', 'tanh'; "
                              f"received {shown}")


def test_as_array_refuses_complex_strings_and_nan_by_name():
    with pytest.raises(TypeError, match=r"^f: x must be a real \(not complex\) numeric array; "
                                        r"received ndarray of dtype complex128"):
        as_array(np.array([1 + 2j]), "x", "f")
    with pytest.raises(TypeError, match=r"^f: x must be a numeric array; received list "
                                        r"\(strings or bytes, dtype <U1\)"):
        as_array([["a", "b"]], "x", "f")
    with pytest.raises(ValueError, match=r"^f: x contains NaN or infinity"):
        as_array([1.0, np.nan], "x", "f")
    with pytest.raises(TypeError, match=r"^f: x must be a numeric array; received list"):
        as_array([[1.0], [1.0, 2.0]], "x", "f")  # ragged
    # complex is kept where the caller asks for the input's own dtype
    assert as_array(np.array([1j]), "x", "f", dtype=None).dtype == np.complex128


def test_check_grad_out_names_both_shapes():
    with pytest.raises(ValueError) as err:
        check_grad_out(np.ones((3, 1)), (3, 2), "Dense(4->2, tanh).backward")
    assert str(err.value) == ("Dense(4->2, tanh).backward: grad_out must have the shape of the "
                              "forward output, (3, 2); received grad_out.shape=(3, 1)")


# ------------------------------------------------------------ every flag, every option string

_X = np.ones((4, 3))
_GRU = (np.zeros((2, 1, 3)), np.zeros((3, 6)), np.zeros((2, 6)), np.zeros((2, 6)))  # x, k, rk, b


def _fit(**kwargs):
    model = layers.Sequential([layers.Dense(3, 1, rng=0)])
    args = {"loss": "mse", "optimizer": optimizers.SGD(0.01), "epochs": 1, **kwargs}
    return training.fit(model, _X, np.zeros(4), **args)


def _flag_cases():
    from dlcourse import plotting, recurrent, reproducibility
    return [
        ("SGD", "nesterov", lambda v: optimizers.SGD(0.1, 0.9, nesterov=v)),
        ("gru_forward", "reset_after", lambda v: recurrent.gru_forward(*_GRU, reset_after=v)),
        ("gru_step", "reset_after", lambda v: recurrent.gru_step(_GRU[0][:, 0], None, *_GRU[1:],
                                                                 reset_after=v)),
        ("fit", "shuffle", lambda v: _fit(shuffle=v)),
        ("dropout", "training", lambda v: regularization.dropout(_X, 0.5, 0, training=v)),
        ("setup", "tensorflow", lambda v: reproducibility.setup(0, tensorflow=v)),
        ("plot_history", "logy", lambda v: plotting.plot_history({"loss": [1.0, 0.5]}, logy=v)),
        ("plot_feature_maps", "shared_scale",
         lambda v: plotting.plot_feature_maps(np.ones((2, 2, 1)), shared_scale=v)),
    ]


@pytest.mark.parametrize("func, name, call", _flag_cases(), ids=lambda c: c if isinstance(c, str) else "")
@pytest.mark.parametrize("value", ["False", -1, {"a": 1}, np.array([True, False])],
                         ids=["str", "int", "dict", "array"])
def test_every_flag_accepts_only_a_bool(func, name, call, value):
    """A truthy non-bool ("False", -1, a dict) is refused, never taken as True."""
    with pytest.raises(TypeError, match=rf"^{func}: {name} must be True or False; received "):
        call(value)


def test_sgd_nesterov_false_as_a_string_is_not_nesterov_on():
    assert optimizers.SGD(0.1, 0.9, nesterov=False).nesterov is False
    with pytest.raises(TypeError):
        optimizers.SGD(0.1, 0.9, nesterov="False")


def _option_cases():
    from dlcourse import data, models, plotting
    return [
        ("Dense", "activation", lambda v: layers.Dense(2, 2, activation=v)),
        ("Dense", "init", lambda v: layers.Dense(2, 2, init=v)),
        ("Activation", "name", lambda v: layers.Activation(v)),
        ("Conv2D", "activation", lambda v: Conv2D(1, 1, activation=v)),
        ("Conv2D", "init", lambda v: Conv2D(1, 1, init=v)),
        ("fit", "loss", lambda v: _fit(loss=v)),
        ("evaluate", "loss", lambda v: training.evaluate(layers.Dense(3, 1), _X, np.zeros(4), loss=v)),
        ("load_digits", "layout", lambda v: data.load_digits(layout=v)),
        ("plot_timeline", "spacing", lambda v: plotting.plot_timeline([(1958, "a")], spacing=v)),
        ("xor_mlp", "activation", lambda v: models.xor_mlp(activation=v)),
    ]


@pytest.mark.parametrize("func, name, call", _option_cases(), ids=lambda c: c if isinstance(c, str) else "")
@pytest.mark.parametrize("value", [np.array(["relu", "tanh"]), None, 1], ids=["array", "None", "int"])
def test_every_option_string_accepts_only_a_str(func, name, call, value):
    """An array where an option string goes gets a sentence, not "truth value ... ambiguous"."""
    with pytest.raises(TypeError, match=rf"^{func}: {name} must be a str, one of "):
        call(value)
