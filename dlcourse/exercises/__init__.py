"""Exercise checkers, one module per chapter: ``dlcourse.exercises.<chapter>``.

See :mod:`dlcourse.exercises.checking` for how a checker is built.
"""
