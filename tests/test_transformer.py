"""dlcourse.transformer: the encoder block against finite differences and Keras, the
embedding's backward pass, and a tagger that learns to reverse sequences.

Finite differences: central, eps=1e-6, accurate to ~1e-8 relative for smooth functions
(ReLU's kink is not hit at random points): GRAD_TOL = 1e-6. Against Keras layers in
float64 with copied weights: round-off only, ATOL = 1e-10.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse

dlcourse.setup(seed=0, tensorflow=True)

import keras  # noqa: E402

from dlcourse import data  # noqa: E402
from dlcourse import transformer as tr  # noqa: E402
from dlcourse.attention import causal_mask  # noqa: E402
from dlcourse.gradcheck import check_gradient  # noqa: E402

GRAD_TOL = 1e-6
ATOL = 1e-10


def test_encoder_block_backward_matches_finite_differences():
    r = np.random.default_rng(0)
    block = tr.EncoderBlock(6, num_heads=2, key_dim=3, d_ff=8, rng=0)
    x, G = r.normal(size=(2, 4, 6)), r.normal(size=(2, 4, 6))
    mask = causal_mask(4)
    block.forward(x, mask=mask)
    dx = block.backward(G)
    res = check_gradient(lambda v: np.sum(block.forward(v, mask=mask) * G), dx, x, tol=GRAD_TOL)
    assert res.passed, res


def test_encoder_block_matches_the_same_block_written_with_keras_layers():
    r = np.random.default_rng(1)
    d, T = 8, 5
    block = tr.EncoderBlock(d, num_heads=2, key_dim=4, d_ff=16, rng=1)
    for p, _ in block.parameters():
        p[...] = r.normal(scale=0.4, size=p.shape)
    mha = keras.layers.MultiHeadAttention(2, 4, dtype="float64")
    mha.build((None, T, d), (None, T, d))
    mha.set_weights(block.attention.get_weights())
    ln1, ln2 = (keras.layers.LayerNormalization(dtype="float64") for _ in range(2))
    ln1.build((None, T, d)); ln2.build((None, T, d))
    ln1.set_weights([block.norm1.params["gamma"], block.norm1.params["beta"]])
    ln2.set_weights([block.norm2.params["gamma"], block.norm2.params["beta"]])
    f1 = keras.layers.Dense(16, activation="relu", dtype="float64"); f1.build((None, T, d))
    f2 = keras.layers.Dense(d, dtype="float64"); f2.build((None, T, 16))
    f1.set_weights([block.ff1.params["W"], block.ff1.params["b"]])
    f2.set_weights([block.ff2.params["W"], block.ff2.params["b"]])
    x = r.normal(size=(3, T, d))
    h = ln1(x + mha(x, x))
    want = ln2(h + f2(f1(h))).numpy()
    assert np.allclose(block.forward(x), want, rtol=0, atol=ATOL)


def test_embedding_backward_adds_the_gradients_of_repeated_tokens():
    emb = tr.Embedding(5, 3, rng=0)
    tokens = np.array([[1, 1, 4]])
    out = emb.forward(tokens)
    assert np.array_equal(out[0, 0], emb.params["E"][1])
    G = np.arange(9.0).reshape(1, 3, 3)
    emb.backward(G)
    assert np.allclose(emb.grads["E"][1], G[0, 0] + G[0, 1])
    assert np.allclose(emb.grads["E"][4], G[0, 2])
    assert np.allclose(emb.grads["E"][[0, 2, 3]], 0)


def test_tagger_gradient_matches_finite_differences_on_the_embedding():
    from dlcourse import losses
    model = tr.TokenTagger(4, 3, d_model=4, num_heads=2, d_ff=6, rng=2)
    x = np.array([[0, 1, 3], [2, 2, 1]])
    y = x[:, ::-1]
    E = model.embedding.params["E"]

    def loss(e):
        saved = E.copy()
        E[...] = e
        z = model.forward(x)
        E[...] = saved
        return losses.softmax_crossentropy(y.reshape(-1), z.reshape(-1, 4))

    z = model.forward(x)
    model.backward(losses.softmax_crossentropy_grad(y.reshape(-1), z.reshape(-1, 4)).reshape(z.shape))
    assert check_gradient(loss, model.embedding.grads["E"].copy(), E.copy(), tol=GRAD_TOL).passed


def test_a_one_block_tagger_learns_to_reverse_held_out_sequences():
    train = data.make_token_sequences(1000, 6, 8, "reverse", seed=0)
    test = data.make_token_sequences(200, 6, 8, "reverse", seed=1)
    model = tr.TokenTagger(8, 6, d_model=16, num_heads=2, d_ff=32, rng=0)
    history = tr.train_tagger(model, train.x, train.y, epochs=6, learning_rate=0.01)
    assert history[-1] < 0.1 * history[0]
    token_acc, _ = tr.token_accuracy(test.y, model(test.x))
    assert token_acc > 0.95


def test_token_sequences_reverse_and_sort():
    ds = data.make_token_sequences(5, 4, 3, "reverse", seed=0)
    assert np.array_equal(ds.y, ds.x[:, ::-1]) and ds.x.dtype == np.int64
    ds = data.make_token_sequences(5, 4, 3, "sort", seed=0)
    assert np.array_equal(ds.y, np.sort(ds.x, axis=1))


@pytest.mark.parametrize("call,message", [
    (lambda: tr.TokenTagger(5, 4)(np.zeros((2, 3), int)), r"4 positions; received shape \(2, 3\)"),
    (lambda: tr.TokenTagger(5, 4)(np.full((2, 4), 5)), r"in \[0, 5\)"),
    (lambda: tr.TokenTagger(5, 4)(np.zeros((2, 4))), "integer array"),
    (lambda: tr.TokenTagger(5, 4, d_model=6, num_heads=4), "multiple of num_heads"),
    (lambda: tr.train_tagger("model", np.zeros((2, 4), int), np.zeros((2, 4), int)), "must be a TokenTagger"),
    (lambda: tr.token_accuracy(np.zeros((2, 3)), np.zeros((2, 4, 5))), r"y_true must have shape \(2, 4\)"),
    (lambda: data.make_token_sequences(task="add"), "task must be one of"),
])
def test_bad_input_gives_a_clear_error(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_the_keras_twin_has_the_same_parameters_as_the_numpy_tagger():
    from dlcourse import models
    for blocks in (1, 2):
        ours = tr.TokenTagger(10, 8, d_model=16, num_heads=4, d_ff=24, num_blocks=blocks, rng=0)
        theirs = models.transformer_tagger(10, 8, d_model=16, num_heads=4, d_ff=24, num_blocks=blocks)
        assert theirs.count_params() == ours.n_params
        assert theirs.output_shape == (None, 8, 10)


def test_the_keras_twin_refuses_bad_sizes():
    from dlcourse import models
    with pytest.raises(ValueError, match="multiple of num_heads"):
        models.transformer_tagger(10, 8, d_model=10, num_heads=4)
