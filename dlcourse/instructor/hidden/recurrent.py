"""Hidden tests of the Recurrent networks chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_recurrent_1(simple_rnn):
    """The states against keras.layers.SimpleRNN given the same weights, on shapes the
    self-check never uses (as many features as units among them)."""
    import random

    import keras
    import numpy as np

    rng = np.random.default_rng(20261207)
    state = random.getstate()          # Keras's RNN layers draw a seed from Python's random
    for steps, features, units in [(4, 3, 3), (9, 5, 1), (2, 1, 6), (15, 4, 4)]:
        x = rng.normal(scale=1.5, size=(steps, features))
        W = rng.normal(scale=0.8, size=(features, units))
        U = rng.normal(scale=0.6, size=(units, units))
        b = rng.normal(scale=0.3, size=units)
        layer = keras.layers.SimpleRNN(units, return_sequences=True, dtype="float64",
                                       name="hidden_test_rnn", kernel_initializer="zeros",
                                       recurrent_initializer="zeros")
        layer.build((None, steps, features))
        layer.set_weights([W, U, b])
        want = np.asarray(layer(x[None]))[0]
        random.setstate(state)
        args = [a.copy() for a in (x, W, U, b)]
        got = np.asarray(simple_rnn(*args), dtype=float)
        assert all(np.array_equal(a, c) for a, c in zip(args, (x, W, U, b))), \
            "hidden test: simple_rnn modifies its arguments"
        assert got.shape == (steps, units), "hidden test: the states have the wrong shape"
        assert np.allclose(got, want, rtol=0, atol=1e-8), \
            "hidden test: the states differ from a Keras SimpleRNN with the same weights"


def ex_recurrent_2(param_counts):
    """The three layers built with Keras (LSTM, LSTM, Dense) and counted by count_params."""
    import numbers
    import random

    import keras

    state = random.getstate()          # Keras's RNN layers draw a seed from Python's random
    zeros = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}
    lstm_1 = keras.layers.LSTM(128, return_sequences=True, name="hidden_test_lstm_1", **zeros)
    lstm_1.build((None, 10, 10))
    lstm_2 = keras.layers.LSTM(128, name="hidden_test_lstm_2", **zeros)
    lstm_2.build((None, 10, 128))
    random.setstate(state)
    dense = keras.layers.Dense(10, name="hidden_test_dense", kernel_initializer="zeros")
    dense.build((None, 128))
    counts = list(param_counts)
    assert len(counts) == 3, "hidden test: param_counts must hold three counts"
    for name, got, layer in zip(("lstm_1", "lstm_2", "dense"), counts, (lstm_1, lstm_2, dense)):
        assert isinstance(got, numbers.Real) and not isinstance(got, bool), \
            f"hidden test: the count for {name} is not a number"
        assert got == layer.count_params(), f"hidden test: the count for {name} is wrong"


def ex_recurrent_3(clip_by_global_norm):
    """Random lists of arrays (a 0-d one among them) and max_norm values, against
    tf.clip_by_global_norm, plus a global norm exactly at max_norm and zero arrays."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(20261207)
    cases = []
    for _ in range(8):
        shapes = [tuple(int(s) for s in rng.integers(1, 4, size=rng.integers(0, 3)))
                  for _ in range(int(rng.integers(1, 5)))]
        cases.append(([rng.normal(scale=float(rng.uniform(0.1, 3)), size=s) for s in shapes],
                      float(rng.uniform(0.2, 6))))
    cases.append(([rng.normal(scale=3.0, size=s) for s in [(3,), (2, 2), (), (4, 1)]], 1.5))
    at = [rng.normal(size=(2, 3)), rng.normal(size=4)]
    cases.append((at, float(np.sqrt(sum(np.sum(g * g) for g in at)))))    # exactly at max_norm
    cases.append(([np.zeros(3), rng.normal(scale=4.0, size=(2, 2))], 0.7))  # one zero array
    cases.append(([np.zeros((2, 2)), np.zeros(())], 0.3))                   # all zero
    cases.append(([rng.normal(size=5)], 3))                                 # an int max_norm
    for grads, max_norm in cases:
        want, _ = tf.clip_by_global_norm([tf.constant(g) for g in grads], max_norm)
        copies = [g.copy() for g in grads]
        got = clip_by_global_norm(copies, max_norm)
        assert all(np.array_equal(c, g) for c, g in zip(copies, grads)), \
            "hidden test: clip_by_global_norm modifies the gradients it is given"
        got = list(got)
        assert len(got) == len(grads), "hidden test: not one array per gradient"
        for o, w in zip(got, want):
            o = np.asarray(o, dtype=float)
            assert o.shape == tuple(w.shape), "hidden test: a clipped array has the wrong shape"
            assert np.all(np.isfinite(o)), "hidden test: a clipped array holds NaN or inf"
            assert np.allclose(o, w.numpy(), rtol=1e-5, atol=1e-7), \
                "hidden test: the clipped gradients differ from tf.clip_by_global_norm"
