"""Input checks shared by dlcourse's public functions.

Every public function validates its arguments once, at the boundary, and raises an
error that names the function, the argument and what was expected, in the style of
Keras: ``ValueError("conv2d: x must be 4-D (batch, height, width, channels);
received shape (8, 8)")``. Inner loops then trust their inputs.

One home for each check: arrays (:func:`as_array`: real, finite, the right rank),
shapes (:func:`same_shape`, :func:`check_grad_out`), numbers (:func:`positive_int`,
:func:`positive_float`), options (:func:`one_of`: only a ``str``), yes/no arguments
(:func:`flag`: only a ``bool``) and random generators (:func:`as_rng`, which gives
``rng=None`` its one meaning).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np


def as_array(
    x,
    name: str,
    func: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype=np.float64,
    finite: bool = True,
    layout: str | None = None,
) -> np.ndarray:
    """Convert ``x`` to an ndarray, checking its rank and values.

    Parameters
    ----------
    x : array_like
        The value received.
    name, func : str
        Argument and function names, used in the error message.
    ndim : int or tuple of int, optional
        Allowed number of dimensions.
    dtype : numpy dtype, optional
        Target dtype (float64 by default, so gradient checks are tight); ``None``
        keeps the input's dtype.
    finite : bool
        Refuse NaN and infinity.
    layout : str, optional
        Human description of the expected axes, e.g. ``"(batch, features)"``.
    """
    if x is None:
        raise TypeError(f"{func}: {name} must be an array, received None")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:  # a ragged list
        want = "a numeric array" if dtype is not None else "an array"
        raise TypeError(f"{func}: {name} must be {want}; received {type(x).__name__} ({err})") from None
    if dtype is not None and arr.dtype != dtype:
        kind = np.dtype(dtype).kind
        if arr.dtype.kind in "USV":
            raise TypeError(
                f"{func}: {name} must be a numeric array; received {type(x).__name__} "
                f"(strings or bytes, dtype {arr.dtype})"
            )
        if arr.dtype.kind == "c" and kind != "c":
            raise TypeError(
                f"{func}: {name} must be a real (not complex) numeric array; received "
                f"{type(x).__name__} of dtype {arr.dtype} (its imaginary part would be lost)"
            )
        try:
            arr = arr.astype(dtype)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"{func}: {name} must be a numeric array; received {type(x).__name__} ({err})"
            ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            lay = f" {layout}" if layout else ""
            raise ValueError(
                f"{func}: {name} must be {want}{lay}; received shape {arr.shape}"
            )
    if finite and arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{func}: {name} contains NaN or infinity")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str], func: str) -> None:
    """Raise if two arrays differ in shape, naming both shapes."""
    if a.shape != b.shape:
        raise ValueError(
            f"{func}: {names[0]} and {names[1]} must have the same shape; "
            f"received {names[0]}.shape={a.shape} and {names[1]}.shape={b.shape}"
        )


def positive_int(value, name: str, func: str, *, minimum: int = 1) -> int:
    """Check an integer argument such as a stride or a number of epochs."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{func}: {name} must be an integer; received {value!r}")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be >= {minimum}; received {value}")
    return int(value)


def positive_float(value, name: str, func: str, *, allow_zero: bool = False) -> float:
    """Check a real argument such as a learning rate."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{func}: {name} must be a number; received {value!r}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{func}: {name} must be finite and {bound}; received {value}")
    return value


def one_of(value, name: str, func: str, choices) -> str:
    """Check a string option against its allowed values (only a ``str`` is an option)."""
    if not isinstance(value, str):
        raise TypeError(
            f"{func}: {name} must be a str, one of {', '.join(map(repr, choices))}; "
            f"received {_describe(value)}"
        )
    if value not in choices:
        raise ValueError(
            f"{func}: {name} must be one of {', '.join(map(repr, choices))}; "
            f"received {value!r}"
        )
    return value


def flag(value, name: str, func: str) -> bool:
    """Check a yes/no argument: only ``True`` or ``False`` (a ``bool``, or NumPy's).

    ``"False"``, ``-1`` or a dict are truthy in Python; taking them as ``True``
    would silently do what the caller did not ask for, so they are refused.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{func}: {name} must be True or False; received {_describe(value)}")
    return bool(value)


def as_rng(rng, func: str) -> np.random.Generator:
    """A NumPy ``Generator`` from ``rng``: a Generator (used as is), an int seed, or None.

    ``None`` means "repeatable under the global seed": the Generator's seed is drawn
    from NumPy's global state, so after ``np.random.seed(0)`` (which
    ``dlcourse.setup(seed=0)`` calls) the same call gives the same numbers. Every
    function of dlcourse that takes an ``rng`` gives ``None`` this meaning.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(np.random.randint(2**31 - 1))
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{func}: rng as an int seed must be >= 0; received {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{func}: rng must be a numpy.random.Generator, an int seed or None; "
        f"received {type(rng).__name__}"
    )


def check_grad_out(grad_out, shape: tuple, func: str) -> np.ndarray:
    """``grad_out`` as float64, refused unless it has the forward output's ``shape``.

    The check is not optional: a (3, 1) gradient would otherwise broadcast silently
    against a (3, 2) output. ``func`` names the caller (a layer's repr, or a function).
    """
    g = as_array(grad_out, "grad_out", func)
    if g.shape != tuple(shape):
        raise ValueError(
            f"{func}: grad_out must have the shape of the forward output, {tuple(shape)}; "
            f"received grad_out.shape={g.shape}"
        )
    return g


def _describe(value) -> str:
    """A short, safe description of a received value for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else f"a {type(value).__name__}"
