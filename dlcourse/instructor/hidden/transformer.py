"""Hidden tests of the Transformer chapter (see :mod:`dlcourse.instructor.hidden`)."""


def ex_transformer_1(block_params):
    """The parameters of the same block built from Keras layers (MultiHeadAttention,
    two LayerNormalization, two Dense), on sizes the self-check never uses."""
    import keras

    for d_model, heads, d_ff in [(6, 3, 10), (20, 4, 7), (16, 8, 3), (9, 1, 1), (30, 5, 100)]:
        zeros = {"kernel_initializer": "zeros"}           # named, not random: no global state
        mha = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=d_model // heads,
                                              name="hidden_test_attention", **zeros)
        mha.build((None, 4, d_model), (None, 4, d_model))
        norm = keras.layers.LayerNormalization(name="hidden_test_norm")
        norm.build((None, 4, d_model))
        ff1 = keras.layers.Dense(d_ff, name="hidden_test_ff1", **zeros)
        ff2 = keras.layers.Dense(d_model, name="hidden_test_ff2", **zeros)
        ff1.build((None, 4, d_model))
        ff2.build((None, 4, d_ff))
        want = mha.count_params() + 2 * norm.count_params() + ff1.count_params() + ff2.count_params()
        got = block_params(d_model, heads, d_ff)
        assert not isinstance(got, (bool, str)) and float(got) == want, \
            "hidden test: wrong parameter count for sizes the self-check does not use"


def ex_transformer_2(sequence_accuracy):
    """Whole-sequence accuracy counted with Python loops, on batches with one wrong token at
    a random position, all sequences right, and none right."""
    import numpy as np

    rng = np.random.default_rng(20261207)
    for n, T, V, share in [(7, 5, 4, 0.5), (12, 1, 6, 0.5), (5, 9, 3, 1.0), (6, 3, 7, 0.0),
                           (9, 9, 5, 0.5)]:
        y = rng.integers(0, V, size=(n, T))
        logits = rng.normal(size=(n, T, V))
        for i in range(n):
            if rng.random() < share or share == 1.0:
                logits[i, np.arange(T), y[i]] += 20.0            # a right sequence
            elif share > 0 and rng.random() < 0.5:
                logits[i, np.arange(T), y[i]] += 20.0            # right but for one token
                t = int(rng.integers(T))
                logits[i, t, y[i, t]] -= 40.0
            elif share == 0.0:
                t = int(rng.integers(T))
                logits[i, t, y[i, t]] -= 40.0                    # at least one token wrong
        right = 0
        for i in range(n):
            right += all(int(np.argmax(logits[i, t])) == y[i, t] for t in range(T))
        got = sequence_accuracy(y.copy(), logits.copy())
        assert np.ndim(got) == 0, "hidden test: sequence_accuracy must return one number"
        assert abs(float(got) - right / n) < 1e-9, \
            "hidden test: wrong fraction of whole sequences right"
