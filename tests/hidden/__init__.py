"""Unit tests of the hidden tests (:mod:`dlcourse.instructor.hidden`), one file per
chapter: the worked answer passes, plausible wrong answers (one tuned to the self-check
among them) fail with a message that starts ``hidden test:`` and gives nothing away."""
