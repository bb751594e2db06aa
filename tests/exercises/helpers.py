"""What every checker test needs: junk answers and a failure that must be clean."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.exercises.checking import ExerciseFailed

#: Answers that are wrong in type or shape. ``object`` (the type, not an instance)
#: keeps pytest ids stable across xdist workers.
JUNK = [None, ..., object, 42, "answer", np.zeros((3, 3)), [1, 2, 3]]


def fails(check, answer, *args, **kwargs) -> str:
    """Run a checker on a wrong answer; it must raise ExerciseFailed with a hint."""
    with pytest.raises(ExerciseFailed) as info:
        check(answer, *args, **kwargs)
    message = str(info.value)
    assert message.startswith("Not yet: ") and "\nHint: " in message, message
    return message
