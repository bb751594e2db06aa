"""Keras 3 models of the articles, corrected and sized for the course's offline data.

Each builder returns a compiled ``keras.Model`` that starts from an explicit
``keras.Input(shape=...)`` (Keras 3 warns on ``input_dim=``/``input_shape=``), takes a
``learning_rate=``, and says in its docstring what it changes from the article.
Train with ``fit(..., verbose=0)``, optionally with :class:`EpochLogger`, which prints
one line per logged epoch and nothing that changes from run to run.

TensorFlow is imported when a builder is first called, not when this module is:
``from dlcourse import models`` may come before ``dlcourse.setup()``, which must run
before TensorFlow loads to keep its C++ start-up lines out of a notebook.
"""

from __future__ import annotations

from numbers import Integral

from ._validate import one_of, positive_float, positive_int
from .training import format_epoch as _format_epoch  # the one epoch-line format

__all__ = [
    "linear_regression",
    "xor_mlp",
    "binary_mlp",
    "mlp",
    "cnn",
    "article_cnn",
    "simple_rnn",
    "gru",
    "stacked_lstm",
    "dense_autoencoder",
    "transformer_tagger",
    "EpochLogger",
    "HIDDEN_ACTIVATIONS",
    "cnn_rnn",
    "conv_autoencoder",
]

#: Hidden-layer activations the builders accept (Keras names).
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "gelu", "selu", "leaky_relu", "linear")


def _keras():
    import keras

    return keras


def _units(value, name: str, func: str, *, allow_empty: bool) -> tuple[int, ...]:
    """A layer-size argument: an int or a sequence of ints, as a tuple."""
    if isinstance(value, Integral) and not isinstance(value, bool):
        value = (value,)
    try:
        sizes = tuple(value)
    except TypeError:
        raise TypeError(
            f"{func}: {name} must be an int or a sequence of ints; received {value!r}"
        ) from None
    if not sizes and not allow_empty:
        raise ValueError(f"{func}: {name} must name at least one layer; received {value!r}")
    return tuple(positive_int(s, f"every entry of {name}", func) for s in sizes)


def _dense_stack(keras, x, hidden, activation):
    for i, size in enumerate(hidden, start=1):
        x = keras.layers.Dense(size, activation=activation, name=f"hidden_{i}")(x)
    return x


def linear_regression(n_inputs: int = 1, learning_rate: float = 0.1):
    r"""One linear unit trained by gradient descent on the MSE (article 000).

    .. math:: \hat y = w^\top x + b, \qquad L = \frac1n \sum_i (y_i - \hat y_i)^2

    Fit it to :func:`dlcourse.data.make_linear`: it recovers the slope 3 and an
    intercept near 0.5 (the article's noise is uniform on [0, 1), mean 1/2).

    Changes from the article: ``keras.Input(shape=(n_inputs,))`` instead of
    ``Dense(1, input_dim=1)``; SGD with ``learning_rate=0.1`` instead of Keras's
    default 0.01, so about 100 epochs suffice instead of 1,000. The article also
    "validates" on its training data; hold data out to validate.

    Parameters
    ----------
    n_inputs : int
        Number of input features.
    learning_rate : float
        Step size of plain SGD.

    Returns
    -------
    keras.Model
        Compiled with SGD and ``loss="mse"``.
    """
    func = "linear_regression"
    n_inputs = positive_int(n_inputs, "n_inputs", func)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    model = keras.Sequential(
        [keras.Input(shape=(n_inputs,)), keras.layers.Dense(1, name="line")],
        name="linear_regression",
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


def xor_mlp(hidden: int = 4, activation: str = "tanh", learning_rate: float = 0.1):
    r"""A two-layer network that learns XOR (article 004, corrected).

    .. math:: \hat y = \sigma\big(W_2\, f(W_1 x + b_1) + b_2\big)

    Changes from the article: the article fits a single ``Dense(1,
    activation="relu")`` with MSE to the XOR table. One unit draws one straight
    line, and no line separates XOR's classes, so that model cannot reach 4/4
    whatever the training (and a ReLU output stuck below 0 has zero gradient). A
    hidden layer of ``hidden`` units bends the boundary; the output is a sigmoid
    probability trained with binary cross-entropy, and Adam replaces plain SGD.

    Parameters
    ----------
    hidden : int
        Width of the hidden layer (2 units can represent XOR; 4 train more reliably).
    activation : str
        Hidden activation, one of :data:`HIDDEN_ACTIVATIONS`.
    learning_rate : float
        Adam's step size (large, as there are only four points).

    Returns
    -------
    keras.Model
        Compiled with Adam, binary cross-entropy and accuracy; targets of shape
        (4, 1) as :func:`dlcourse.data.xor` returns them.
    """
    func = "xor_mlp"
    hidden = positive_int(hidden, "hidden", func)
    one_of(activation, "activation", func, HIDDEN_ACTIVATIONS)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    inputs = keras.Input(shape=(2,), name="x")
    h = _dense_stack(keras, inputs, (hidden,), activation)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="probability")(h)
    model = keras.Model(inputs, outputs, name="xor_mlp")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def binary_mlp(
    n_inputs: int,
    hidden=(64,),
    activation: str = "relu",
    learning_rate: float = 0.001,
):
    r"""A binary classifier with a sigmoid output (article 002's architecture).

    .. math:: p = \sigma(w^\top h + b), \qquad
              L = -\frac1n \sum_i \big[y_i \log p_i + (1 - y_i)\log(1 - p_i)\big]

    Binary cross-entropy and accuracy need **class labels 0 or 1**. The article
    trains this model on ``y = np.random.rand(100, 1)``: real numbers in [0, 1]
    drawn independently of ``X``, so there is nothing to learn (the loss stays
    near :math:`\ln 2 \approx 0.69`), and Keras's accuracy,
    which checks ``y == round(p)``, is 0.0 whatever the model does, because no
    target is exactly 0 or 1. Use labelled data such as
    :func:`dlcourse.data.make_binary` or :func:`dlcourse.data.make_moons`.
    Also changed: ``keras.Input`` instead of ``input_shape=``.

    Parameters
    ----------
    n_inputs : int
        Number of input features (the article has 10).
    hidden : int or sequence of int
        Widths of the hidden layers.
    activation : str
        Hidden activation, one of :data:`HIDDEN_ACTIVATIONS`.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Output (n, 1) probabilities of class 1; compiled with Adam, binary
        cross-entropy and accuracy.
    """
    func = "binary_mlp"
    n_inputs = positive_int(n_inputs, "n_inputs", func)
    hidden = _units(hidden, "hidden", func, allow_empty=True)
    one_of(activation, "activation", func, HIDDEN_ACTIVATIONS)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    inputs = keras.Input(shape=(n_inputs,), name="x")
    h = _dense_stack(keras, inputs, hidden, activation)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="probability")(h)
    model = keras.Model(inputs, outputs, name="binary_mlp")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _compile_classifier(keras, model, learning_rate):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def mlp(
    n_inputs: int = 64,
    hidden=(64,),
    n_classes: int = 10,
    activation: str = "relu",
    learning_rate: float = 0.001,
):
    r"""A multilayer perceptron classifier with a softmax output.

    .. math:: h = f(W_1 x + b_1), \qquad p = \operatorname{softmax}(W_2 h + b_2)

    Sized for the flat digits, ``load_digits(layout="flat")``. Trained with sparse
    categorical cross-entropy, :math:`L = -\frac1n\sum_i \log p_{i, y_i}`, so the
    labels are the integers 0 to ``n_classes - 1`` (no one-hot encoding). With
    ``learning_rate=0.003``, 25 epochs of batches of 32 reach over 95% test
    accuracy on the digits (checked in ``tests/test_models.py``).

    Parameters
    ----------
    n_inputs : int
        Number of input features.
    hidden : int or sequence of int
        Widths of the hidden layers; ``()`` gives softmax regression.
    n_classes : int
        Number of classes (at least 2).
    activation : str
        Hidden activation, one of :data:`HIDDEN_ACTIVATIONS`.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with Adam, sparse categorical cross-entropy and accuracy.
    """
    func = "mlp"
    n_inputs = positive_int(n_inputs, "n_inputs", func)
    hidden = _units(hidden, "hidden", func, allow_empty=True)
    n_classes = positive_int(n_classes, "n_classes", func, minimum=2)
    one_of(activation, "activation", func, HIDDEN_ACTIVATIONS)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    inputs = keras.Input(shape=(n_inputs,), name="x")
    h = _dense_stack(keras, inputs, hidden, activation)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="probabilities")(h)
    return _compile_classifier(keras, keras.Model(inputs, outputs, name="mlp"), learning_rate)


def cnn(input_shape=(8, 8, 1), n_classes: int = 10, learning_rate: float = 0.001):
    r"""A small convolutional classifier (article 001's CNN, sized for 8x8 digits).

    Conv2D(32, 3x3, ReLU) -> MaxPool(2) -> Conv2D(64, 3x3, ReLU) -> MaxPool(2) ->
    Flatten -> Dense(128, ReLU) -> Dense(n_classes, softmax). A convolution computes,
    per output channel :math:`c`,

    .. math:: y_{i,j,c} = b_c + \sum_{u,v,k} w_{u,v,k,c}\, x_{i+u,\,j+v,\,k}

    Changes from the article: its layers expect 28x28 MNIST, which must be
    downloaded; here the input is ``load_digits(layout="image")``, (8, 8, 1). The
    convolutions use ``padding="same"``: with the article's "valid" padding an 8x8
    image shrinks 8 -> 6 -> 3 -> 1 and the second pooling has nothing to pool. Also
    ``keras.Input`` instead of ``input_shape=``. With ``learning_rate=0.003``, 15
    epochs reach over 95% test accuracy on the digits (``tests/test_models.py``).

    Parameters
    ----------
    input_shape : tuple of 3 ints
        (height, width, channels); height and width at least 4 (two 2x2 poolings).
    n_classes : int
        Number of classes (at least 2).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with Adam, sparse categorical cross-entropy (integer labels) and
        accuracy.
    """
    func = "cnn"
    shape = _units(input_shape, "input_shape", func, allow_empty=False)
    if len(shape) != 3 or min(shape[:2]) < 4:
        raise ValueError(
            f"{func}: input_shape must be (height, width, channels) with height and "
            f"width >= 4; received input_shape={tuple(input_shape)}"
        )
    n_classes = positive_int(n_classes, "n_classes", func, minimum=2)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    L = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=shape, name="image"),
            L.Conv2D(32, 3, padding="same", activation="relu", name="conv_1"),
            L.MaxPooling2D(2, name="pool_1"),
            L.Conv2D(64, 3, padding="same", activation="relu", name="conv_2"),
            L.MaxPooling2D(2, name="pool_2"),
            L.Flatten(name="flatten"),
            L.Dense(128, activation="relu", name="dense"),
            L.Dense(n_classes, activation="softmax", name="probabilities"),
        ],
        name="cnn",
    )
    return _compile_classifier(keras, model, learning_rate)


def _article_sizes(n: int) -> list[int]:
    """One axis through article 001's layers: 3x3 "valid" convolution, 2x2 pooling, twice."""
    sizes = [n]
    for _ in range(2):
        sizes.append(max(sizes[-1] - 2, 0))
        sizes.append(sizes[-1] // 2)
    return sizes


def article_cnn(input_shape=(28, 28, 1), n_classes: int = 10, learning_rate: float = 0.001):
    r"""Article 001's CNN as the article writes it, for 28x28 MNIST-sized images.

    Conv2D(32, 3x3, ReLU) -> MaxPool(2) -> Conv2D(64, 3x3, ReLU) -> MaxPool(2) ->
    Flatten -> Dense(128, ReLU) -> Dense(n_classes, softmax), with "valid" padding, so
    along each axis :math:`n 	o n - 2 	o \lfloor (n-2)/2 
floor 	o \dots`; 28x28
    gives 26, 13, 11, 5 and 225,034 parameters. Changed from the article only in
    starting from ``keras.Input``. For the 8x8 digits use :func:`cnn`.

    An image smaller than 10x10 leaves nothing for the second pooling (8x8: 8 -> 6 ->
    3 -> 1 -> 0). This builder refuses it; Keras itself refuses such a model only from
    version 3.15, and earlier versions build it silently with an empty
    ``(None, 0, 0, 64)`` map.

    Parameters
    ----------
    input_shape : tuple of 3 ints
        (height, width, channels); height and width at least 10.
    n_classes : int
        Number of classes (at least 2).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with Adam, sparse categorical cross-entropy (integer labels) and
        accuracy.
    """
    func = "article_cnn"
    shape = _units(input_shape, "input_shape", func, allow_empty=False)
    if len(shape) != 3:
        raise ValueError(
            f"{func}: input_shape must be (height, width, channels); "
            f"received input_shape={tuple(input_shape)}"
        )
    if min(shape[:2]) < 10:
        chain = " -> ".join(map(str, _article_sizes(min(shape[:2]))))
        raise ValueError(
            f"{func}: input_shape must have height and width >= 10 for two 3x3 convolutions "
            f"and 2x2 poolings without padding ({chain}); received input_shape={shape}"
        )
    n_classes = positive_int(n_classes, "n_classes", func, minimum=2)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    L = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=shape),
            L.Conv2D(32, (3, 3), activation="relu"),
            L.MaxPooling2D((2, 2)),
            L.Conv2D(64, (3, 3), activation="relu"),
            L.MaxPooling2D((2, 2)),
            L.Flatten(),
            L.Dense(128, activation="relu"),
            L.Dense(n_classes, activation="softmax"),
        ],
        name="article_cnn",
    )
    return _compile_classifier(keras, model, learning_rate)


def _recurrent(kind, func, timesteps, features, units, n_classes, learning_rate):
    timesteps = positive_int(timesteps, "timesteps", func)
    features = positive_int(features, "features", func)
    units = _units(units, "units", func, allow_empty=False)
    n_classes = positive_int(n_classes, "n_classes", func, minimum=2)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    layer = getattr(keras.layers, kind)
    x = inputs = keras.Input(shape=(timesteps, features), name="sequence")
    for i, size in enumerate(units, start=1):
        # Every recurrent layer but the last passes on its whole sequence of states.
        x = layer(size, return_sequences=i < len(units), name=f"{kind.lower()}_{i}")(x)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="probabilities")(x)
    return _compile_classifier(keras, keras.Model(inputs, outputs, name=func), learning_rate)


_RECURRENT_DOC = r"""A {what} sequence classifier (article 001's recurrent model, corrected).

    {formula}

    Reads ``timesteps`` steps of ``features`` numbers, e.g. a digit row by row with
    ``load_digits(layout="sequence")`` (8 steps of 8 pixels). Stacked layers pass
    their whole state sequence on (``return_sequences=True``); the last passes only
    its final state to a softmax layer.

    Changes from the article: ``keras.Input(shape=(timesteps, features))`` instead
    of ``input_shape=(10, 10)``; the loss is *sparse* categorical cross-entropy,
    which takes integer labels: the article's ``categorical_crossentropy`` needs
    one-hot targets, and given integer labels Keras raises a ``ValueError``
    (target and output ranks differ).

    Parameters
    ----------
    timesteps, features : int
        Sequence length and features per step.
    units : int or sequence of int
        State sizes of the stacked layers, first to last.
    n_classes : int
        Number of classes (at least 2).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Compiled with Adam, sparse categorical cross-entropy and accuracy; its
        weights are laid out like :mod:`dlcourse.recurrent` expects (kernel,
        recurrent_kernel, bias).
    """


def stacked_lstm(
    timesteps: int = 8,
    features: int = 8,
    units=(64, 64),
    n_classes: int = 10,
    learning_rate: float = 0.001,
):
    return _recurrent("LSTM", "stacked_lstm", timesteps, features, units, n_classes, learning_rate)


def gru(
    timesteps: int = 8,
    features: int = 8,
    units=(64, 64),
    n_classes: int = 10,
    learning_rate: float = 0.001,
):
    return _recurrent("GRU", "gru", timesteps, features, units, n_classes, learning_rate)


def simple_rnn(
    timesteps: int = 8,
    features: int = 8,
    units=(64, 64),
    n_classes: int = 10,
    learning_rate: float = 0.001,
):
    return _recurrent("SimpleRNN", "simple_rnn", timesteps, features, units, n_classes, learning_rate)


stacked_lstm.__doc__ = _RECURRENT_DOC.format(
    what="stacked LSTM",
    formula=r""".. math:: c_t = f_t \odot c_{t-1} + i_t \odot \tanh(W_c x_t + U_c h_{t-1} + b_c),
              \qquad h_t = o_t \odot \tanh(c_t)""",
)
gru.__doc__ = _RECURRENT_DOC.format(
    what="stacked GRU",
    formula=r""".. math:: h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t""",
)
simple_rnn.__doc__ = _RECURRENT_DOC.format(
    what="stacked simple RNN",
    formula=r""".. math:: h_t = \tanh(W x_t + U h_{t-1} + b)""",
)


def dense_autoencoder(
    n_inputs: int = 64, latent_dim: int = 8, loss: str = "mse", learning_rate: float = 0.001
):
    r"""A one-hidden-layer autoencoder (article 001's 784 -> 32 -> 784, scaled to 64).

    .. math:: z = \operatorname{ReLU}(W_e x + b_e), \qquad
              \hat x = \sigma(W_d z + b_d)

    Train it with ``autoencoder.fit(x, x)`` on ``load_digits(layout="flat")``: with
    ``learning_rate=0.003``, 20 epochs bring the test MSE below 0.04 (predicting
    the mean image scores 0.074).

    The loss is the mean squared error by default. The article's binary
    cross-entropy, :math:`-[x\log\hat x + (1-x)\log(1-\hat x)]`, is acceptable here
    only because the pixels lie in [0, 1] (like the sigmoid output); it is not a
    likelihood of grey levels, and its minimum is not 0 but the entropy of the
    pixels themselves, so its values say less than an MSE. Pass
    ``loss="binary_crossentropy"`` to reproduce the article. Also changed:
    ``keras.Input`` (the article's functional model already used ``Input``) and
    separate ``encoder``/``decoder`` models sharing the trained layers.

    Parameters
    ----------
    n_inputs : int
        Pixels per image.
    latent_dim : int
        Size of the code :math:`z`.
    loss : {"mse", "binary_crossentropy"}
        Reconstruction loss.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    autoencoder, encoder, decoder : keras.Model
        ``autoencoder`` (compiled) maps x to :math:`\hat x`; ``encoder`` maps x to
        :math:`z`; ``decoder`` maps :math:`z` to :math:`\hat x`. They share weights.
    """
    func = "dense_autoencoder"
    n_inputs = positive_int(n_inputs, "n_inputs", func)
    latent_dim = positive_int(latent_dim, "latent_dim", func)
    one_of(loss, "loss", func, ("mse", "binary_crossentropy"))
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    x = keras.Input(shape=(n_inputs,), name="x")
    z = keras.layers.Dense(latent_dim, activation="relu", name="code")(x)
    encoder = keras.Model(x, z, name="encoder")
    z_in = keras.Input(shape=(latent_dim,), name="z")
    x_hat = keras.layers.Dense(n_inputs, activation="sigmoid", name="reconstruction")(z_in)
    decoder = keras.Model(z_in, x_hat, name="decoder")
    autoencoder = keras.Model(x, decoder(encoder(x)), name="autoencoder")
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss)
    return autoencoder, encoder, decoder


def transformer_tagger(vocab: int, length: int, d_model: int = 32, num_heads: int = 2,
                       d_ff: int = 64, num_blocks: int = 1, learning_rate: float = 0.005):
    r"""The Keras twin of :class:`dlcourse.transformer.TokenTagger`.

    Embedding(vocab, d_model) plus the fixed sinusoidal positional encoding, then
    ``num_blocks`` post-norm encoder blocks,
    :math:`H = \operatorname{LayerNorm}(X + \operatorname{MultiHead}(X))`,
    :math:`\operatorname{LayerNorm}(H + \operatorname{FFN}(H))`, then Dense(vocab) logits
    at every position. Block :math:`\ell`'s attention layer is named
    ``attention_<l>`` and also returns its weights, so
    ``keras.Model(model.input, model.get_layer("attention_1").output[1])`` reads them.

    Returns
    -------
    keras.Model
        Input (batch, length) integers, output (batch, length, vocab) logits; compiled
        with Adam, sparse categorical cross-entropy from logits and accuracy (per token).
    """
    func = "transformer_tagger"
    vocab = positive_int(vocab, "vocab", func, minimum=2)
    length = positive_int(length, "length", func)
    d_model = positive_int(d_model, "d_model", func)
    num_heads = positive_int(num_heads, "num_heads", func)
    if d_model % num_heads:
        raise ValueError(f"{func}: d_model must be a multiple of num_heads; "
                         f"received d_model={d_model}, num_heads={num_heads}")
    d_ff = positive_int(d_ff, "d_ff", func)
    num_blocks = positive_int(num_blocks, "num_blocks", func)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    from .attention import positional_encoding

    keras = _keras()
    L = keras.layers
    tokens = keras.Input(shape=(length,), dtype="int32", name="tokens")
    x = L.Embedding(vocab, d_model, name="embedding")(tokens)
    x = keras.ops.add(x, positional_encoding(length, d_model).astype("float32"))
    for i in range(1, num_blocks + 1):
        att, _ = L.MultiHeadAttention(num_heads, d_model // num_heads, name=f"attention_{i}")(
            x, x, return_attention_scores=True)
        h = L.LayerNormalization(name=f"norm_{i}a")(L.Add()([x, att]))
        f = L.Dense(d_ff, activation="relu", name=f"ffn_{i}a")(h)
        f = L.Dense(d_model, name=f"ffn_{i}b")(f)
        x = L.LayerNormalization(name=f"norm_{i}b")(L.Add()([h, f]))
    logits = L.Dense(vocab, name="logits")(x)
    model = keras.Model(tokens, logits, name="transformer_tagger")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model



def _make_epoch_logger():
    keras = _keras()

    class EpochLogger(keras.callbacks.Callback):
        """Print one short line every ``every`` epochs (and the first and last).

        The line holds the epoch, the loss and every metric with 4 decimals, and
        no timings, so a seeded run prints the same text every time::

            epoch 10/50  loss 0.2153  accuracy 0.9412  val_loss 0.2479  val_accuracy 0.9306

        Use it with ``model.fit(..., verbose=0, callbacks=[EpochLogger(every=10)])``.
        """

        def __init__(self, every: int = 10):
            super().__init__()
            self.every = positive_int(every, "every", "EpochLogger")

        def on_epoch_end(self, epoch, logs=None):
            n, epochs = epoch + 1, (self.params or {}).get("epochs")
            if n == 1 or n % self.every == 0 or n == epochs:
                print(_format_epoch(n, epochs, logs or {}))

        def __repr__(self) -> str:
            return f"EpochLogger(every={self.every})"

    EpochLogger.__module__ = __name__
    EpochLogger.__qualname__ = "EpochLogger"
    return EpochLogger


def __getattr__(name):
    # EpochLogger subclasses keras.callbacks.Callback, so defining it imports
    # TensorFlow; it is built on first use instead of on import (see above).
    if name == "EpochLogger":
        cls = globals()["EpochLogger"] = _make_epoch_logger()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _image_shape(image_shape, func: str) -> tuple[int, int, int]:
    shape = _units(image_shape, "image_shape", func, allow_empty=False)
    if len(shape) != 3 or min(shape[:2]) < 4 or shape[0] % 2 or shape[1] % 2:
        raise ValueError(
            f"{func}: image_shape must be (height, width, channels) with even height and "
            f"width >= 4; received image_shape={tuple(image_shape)}"
        )
    return shape


def cnn_rnn(
    length: int = 3,
    image_shape=(8, 8, 1),
    units: int = 64,
    n_classes: int = 10,
    learning_rate: float = 0.003,
):
    r"""A convolutional encoder read by an LSTM: one sequence of images in, one class out.

    Article 001 says that a CNN "can be combined with an RNN to process video and
    speech" and shows neither. The usual way: the same small CNN encodes every
    image (frame) of the sequence into a feature vector,
    ``TimeDistributed(encoder)``, and an LSTM reads the vectors in order:

    .. math:: v_t = \operatorname{CNN}(x_t),\qquad h_t = \operatorname{LSTM}(v_t, h_{t-1}),
              \qquad \hat y = \operatorname{softmax}(W h_L + b)

    The encoder is Conv2D(16, 3x3, ReLU) -> MaxPool(2) -> Conv2D(32, 3x3, ReLU) ->
    MaxPool(2) -> Flatten, with ``padding="same"`` (see :func:`cnn`). On rows of
    three digits from :func:`dlcourse.data.make_digit_rows`, trained to output the
    largest digit of the row, 10 epochs on 2,000 rows reach about 92% test accuracy
    (``tests/test_models.py``).

    Parameters
    ----------
    length : int
        Images per sequence.
    image_shape : tuple of 3 ints
        (height, width, channels), height and width even and at least 4.
    units : int
        State size of the LSTM.
    n_classes : int
        Number of classes (at least 2).
    learning_rate : float
        Adam's step size.

    Returns
    -------
    keras.Model
        Input (length, height, width, channels); compiled with Adam, sparse
        categorical cross-entropy and accuracy. Its layer ``"encoder"`` (a
        ``TimeDistributed``) wraps the per-image CNN, ``model.get_layer("encoder").layer``.
    """
    func = "cnn_rnn"
    length = positive_int(length, "length", func)
    shape = _image_shape(image_shape, func)
    units = positive_int(units, "units", func)
    n_classes = positive_int(n_classes, "n_classes", func, minimum=2)
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    L = keras.layers
    encoder = keras.Sequential(
        [
            keras.Input(shape=shape, name="image"),
            L.Conv2D(16, 3, padding="same", activation="relu", name="conv_1"),
            L.MaxPooling2D(2, name="pool_1"),
            L.Conv2D(32, 3, padding="same", activation="relu", name="conv_2"),
            L.MaxPooling2D(2, name="pool_2"),
            L.Flatten(name="features"),
        ],
        name="cnn",
    )
    x = keras.Input(shape=(length, *shape), name="images")
    v = L.TimeDistributed(encoder, name="encoder")(x)
    h = L.LSTM(units, name="lstm")(v)
    y = L.Dense(n_classes, activation="softmax", name="probabilities")(h)
    return _compile_classifier(keras, keras.Model(x, y, name="cnn_rnn"), learning_rate)


def conv_autoencoder(
    image_shape=(8, 8, 1), filters=(32, 16), learning_rate: float = 0.005
):
    r"""A convolutional autoencoder: the convolutional counterpart of :func:`dense_autoencoder`.

    Encoder: Conv2D(filters[0], 3x3, ReLU) -> MaxPool(2) -> Conv2D(filters[1], 3x3,
    ReLU), a code of shape (height/2, width/2, filters[1]). Decoder:
    Conv2DTranspose(filters[0], 3x3, stride 2, ReLU), which doubles the height and
    width back, -> Conv2D(channels, 3x3, sigmoid). Every convolution uses
    ``padding="same"``; the loss is the mean squared error.

    .. math:: z = \operatorname{ReLU}\big(k_2 * \operatorname{pool}(\operatorname{ReLU}(k_1 * x))\big),
              \qquad \hat x = \sigma\big(k_4 * \operatorname{ReLU}(k_3 \circledast_2 z)\big)

    (:math:`\circledast_2`: transposed convolution with stride 2). The code is not
    smaller than the input with the default filters (4 x 4 x 16 = 256 numbers for 64
    pixels): it is meant for denoising, where a bottleneck is not needed. Article
    001 only says that autoencoders "can be combined with convolutional layers to
    process images"; it gives no model.

    Parameters
    ----------
    image_shape : tuple of 3 ints
        (height, width, channels), height and width even and at least 4.
    filters : tuple of 2 ints
        Channels of the first convolution and of the code.
    learning_rate : float
        Adam's step size.

    Returns
    -------
    autoencoder, encoder : keras.Model
        ``autoencoder`` (compiled, MSE) maps images to images; ``encoder`` (sharing
        its layers) maps images to codes.
    """
    func = "conv_autoencoder"
    shape = _image_shape(image_shape, func)
    f = _units(filters, "filters", func, allow_empty=False)
    if len(f) != 2:
        raise ValueError(
            f"{func}: filters must be 2 positive ints (first convolution, code); "
            f"received filters={filters!r}"
        )
    learning_rate = positive_float(learning_rate, "learning_rate", func)
    keras = _keras()
    L = keras.layers
    x = keras.Input(shape=shape, name="image")
    h = L.Conv2D(f[0], 3, padding="same", activation="relu", name="conv_1")(x)
    h = L.MaxPooling2D(2, name="pool")(h)
    z = L.Conv2D(f[1], 3, padding="same", activation="relu", name="code")(h)
    h = L.Conv2DTranspose(f[0], 3, strides=2, padding="same", activation="relu",
                          name="up")(z)
    x_hat = L.Conv2D(shape[2], 3, padding="same", activation="sigmoid",
                     name="reconstruction")(h)
    encoder = keras.Model(x, z, name="conv_encoder")
    autoencoder = keras.Model(x, x_hat, name="conv_autoencoder")
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
    return autoencoder, encoder
