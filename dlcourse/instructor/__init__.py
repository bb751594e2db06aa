"""The instructor's tooling: what a teacher runs, never what a chapter imports.

Its command line is ``python -m dlcourse <command>`` (:mod:`.cli`). Modules, each one idea:

- :mod:`.myst`: MyST directives in markdown (markdown-it-py finds the fences);
- :mod:`.markers`: the one scanner of answer regions (``### BEGIN SOLUTION``) and the
  one definition of "calls a checker";
- :mod:`.chapter`: a chapter's exercises, their statements and answer cells;
- :mod:`.assign`: student copies and the sources of the student edition;
- :mod:`.lint`: problems that would break assigning or grading a chapter;
- :mod:`.catalogue`: the list of exercises and the instructor guide's tables;
- :mod:`.bookconfig`: variants of ``_config.yml`` (published, student);
- :mod:`.grading`: the built-in gradebook, against the chapters (:mod:`._worker` runs a
  submission, :mod:`.hidden` holds the hidden tests);
- :mod:`.nbgrader`: nbgrader source notebooks and course configuration.

Its dependencies are the ``instructor`` extra of ``pyproject.toml``.
"""
