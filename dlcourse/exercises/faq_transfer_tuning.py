"""Checkers of the FAQ chapter "Transfer learning and hyperparameter tuning"."""

from __future__ import annotations

import numpy as np

from .checking import call_student, checker, expect, as_array, as_int, require_function

__all__ = ["check_log_uniform", "check_n_trials"]


@checker(hints=[
        "A log-uniform draw is uniform in the exponent, not in the value.",
        "Draw the exponent uniformly between the logarithms of low and high, using the "
        "generator you are given.",
        "Then raise the base of the logarithm you used to the drawn exponents, so the "
        "values land back between low and high, size of them.",
    ])
def check_log_uniform(fn):
    """``fn(low, high, size, rng)`` draws ``size`` values whose logarithm is uniform."""
    require_function(fn, "log_uniform")
    for low, high, size in ((1e-4, 1e-1, 4000), (0.5, 8.0, 3000)):
        got = as_array(call_student(fn, low, high, size, np.random.default_rng(1)),
                       "log_uniform(low, high, size, rng)", shape=(size,))
        expect(np.all((got >= low) & (got <= high)),
               f"some values fall outside [low, high] = [{low}, {high}]")
        u = (np.log(got) - np.log(low)) / (np.log(high) - np.log(low))
        # log-uniform <=> u uniform on [0, 1]: each quarter holds about a quarter
        # (binomial sd with n = 3000 is under 0.008; 0.04 is five of them).
        counts = np.histogram(u, bins=4, range=(0.0, 1.0))[0] / size
        expect(np.all(np.abs(counts - 0.25) < 0.04),
               "the values are not spread evenly on a logarithmic scale "
               "(a uniform draw on [low, high] puts almost all of them near high)")
    a = as_array(call_student(fn, 1e-3, 1.0, 50, np.random.default_rng(7)), "a draw", shape=(50,))
    b = as_array(call_student(fn, 1e-3, 1.0, 50, np.random.default_rng(7)), "a draw", shape=(50,))
    expect(np.array_equal(a, b), "use the generator `rng` you are given, so a seed repeats the draw")


@checker(hints=[
        "Think about the probability that every one of n trials misses the best 5%.",
        "Trials are independent, so that probability is a product; you want its "
        "complement to reach the required probability.",
        "Find the smallest whole n that does it: take logarithms, or simply try n upwards"
        " until the condition holds.",
    ])
def check_n_trials(n):
    """The fewest random trials that put one in the best 5% with probability 0.95."""
    n = as_int(n, "n_trials")
    expect(n > 0, "n_trials must be positive")
    expect(1 - 0.95 ** n >= 0.95, f"with {n} trials the probability is below 0.95")
    expect(not (1 - 0.95 ** (n - 1) >= 0.95), f"{n} trials is more than the fewest that suffice")
