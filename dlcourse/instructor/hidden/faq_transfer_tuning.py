"""Hidden tests of the FAQ chapter on transfer learning and tuning (see :mod:`dlcourse.instructor.hidden`)."""


def ex_transfer_tuning_2(log_uniform):
    """A Kolmogorov-Smirnov distance of (log x - log low) / (log high - log low) to the
    uniform law, on ranges the self-check never uses; the draws must come from rng."""
    import numpy as np

    for low, high, size in ((1e-7, 1e-2, 20000), (2.0, 3.0, 20000), (1e-3, 1e5, 20000)):
        got = np.asarray(log_uniform(low, high, size, np.random.default_rng(31)), dtype=float)
        assert got.shape == (size,), "hidden test: log_uniform does not return size values"
        assert np.all((got >= low * (1 - 1e-12)) & (got <= high * (1 + 1e-12))), \
            "hidden test: some values fall outside [low, high]"
        u = np.sort((np.log(got) - np.log(low)) / (np.log(high) - np.log(low)))
        grid = np.arange(1, size + 1) / size
        ks = max(np.max(grid - u), np.max(u - (grid - 1.0 / size)))
        assert ks < 0.025, "hidden test: the logarithms of the values are not uniformly spread"
    one = np.asarray(log_uniform(0.1, 10.0, 1, np.random.default_rng(5)), dtype=float)
    assert one.shape == (1,), "hidden test: log_uniform with size 1 does not return one value"
    draws = [np.asarray(log_uniform(1e-4, 1.0, 64, np.random.default_rng(s)), dtype=float)
             for s in (40, 40, 41)]
    assert np.array_equal(draws[0], draws[1]), \
        "hidden test: two generators with the same seed give different draws"
    assert not np.array_equal(draws[0], draws[2]), \
        "hidden test: the draws do not depend on the generator rng that is passed"
    rng = np.random.default_rng(42)
    first, second = (np.asarray(log_uniform(1e-4, 1.0, 64, rng), dtype=float) for _ in range(2))
    assert not np.array_equal(first, second), \
        "hidden test: two calls with the same generator repeat the same draw"


def ex_transfer_tuning_3(n_trials):
    """The smallest n with 1 - 0.95**n >= 0.95, found by counting trials upward in exact
    rational arithmetic; the answer must be a number, not text."""
    import numbers
    from fractions import Fraction

    import numpy as np

    assert isinstance(n_trials, (numbers.Number, np.number)) and not isinstance(n_trials, bool) \
        and np.ndim(n_trials) == 0, "hidden test: n_trials is not a single number"
    n = 1
    while 1 - Fraction(95, 100) ** n < Fraction(95, 100):
        n += 1
    assert float(n_trials) == n, "hidden test: n_trials is not the fewest trials that suffice"
