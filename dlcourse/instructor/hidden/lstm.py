"""Hidden tests of the chapter "An LSTM, step by step" (see :mod:`dlcourse.instructor.hidden`)."""


def ex_lstm_2(recurrent_params):
    """Each kind of layer built by Keras with its defaults and counted by count_params, on
    sizes the self-check never uses."""
    import random

    import keras

    state = random.getstate()          # Keras's RNN layers draw a seed from Python's random
    for kind in ("SimpleRNN", "GRU", "LSTM"):
        for units, features in [(3, 7), (9, 2), (2, 40), (16, 16), (7, 1)]:
            layer = getattr(keras.layers, kind)(units, name="hidden_test_layer",
                                                kernel_initializer="zeros",
                                                recurrent_initializer="zeros")
            layer.build((None, None, features))
            random.setstate(state)
            got = recurrent_params(kind, units, features)
            assert not isinstance(got, (bool, str)) and float(got) == layer.count_params(), \
                f"hidden test: wrong count for a {kind} on sizes the self-check does not use"


def ex_lstm_3(one_hot):
    """Against keras.utils.to_categorical, with more than ten classes, one class, labels of
    other integer types, and no labels at all."""
    import keras
    import numpy as np

    rng = np.random.default_rng(20261207)
    cases = [(rng.integers(0, 3, size=7).astype(np.int32), 12), (rng.integers(0, 15, size=30), 15),
             (np.array([0, 0, 0]), 1), (np.array([4, 1], dtype=np.uint8), 6),
             (np.array([25, 0, 7]), 26)]
    for labels, n in cases:
        want = keras.utils.to_categorical(labels, n)
        got = np.asarray(one_hot(labels.copy(), n))
        assert got.shape == want.shape, "hidden test: one_hot has the wrong shape"
        assert np.array_equal(got, want), "hidden test: the 1s are not where the labels say"
    got = np.asarray(one_hot(np.array([], dtype=int), 4))
    assert got.shape == (0, 4), "hidden test: no labels should give an array with no rows"
