"""Which hint each learner saw: a small JSON file a grader can read back.

Every failed check writes one entry to ``dlcourse-hints.json`` in the kernel's working
folder (in JupyterLab, Colab and nbgrader that is the notebook's own folder), or to the
file named by the environment variable ``DLCOURSE_HINTS``. A check that passes at the
first try writes nothing: no entry means no hint was shown. The file looks like::

    {"version": 1,
     "checks": {"xor.check_xor_weights": {"failures": 3, "hint_seen": 2,
                                           "hints": 3, "passed": true}}}

``failures`` counts failed runs of the check, ``hint_seen`` is the strongest hint
shown (1 = the first nudge), ``hints`` how many the checker has, ``passed`` whether a
later run passed. :func:`read_hint_log` reads it back and validates every field: a
grader must not trust a file that a student could have edited.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["FILE_NAME", "hint_log_path", "record_failure", "record_pass", "read_hint_log"]

FILE_NAME = "dlcourse-hints.json"
_VERSION = 1

#: Entries kept in memory, per log path, for when the file cannot be written.
_memory: dict[str, dict[str, dict]] = {}


def hint_log_path() -> Path:
    """Where this kernel records hints: ``$DLCOURSE_HINTS``, else ``./dlcourse-hints.json``."""
    return Path(os.environ.get("DLCOURSE_HINTS") or FILE_NAME)


def _load() -> dict[str, dict]:
    path = hint_log_path()
    try:
        return read_hint_log(path)
    except (OSError, ValueError):  # missing, unreadable or damaged: what this kernel knows
        return {name: dict(entry) for name, entry in _memory.get(str(path), {}).items()}


def _save(checks: dict[str, dict]) -> None:
    path = hint_log_path()
    _memory[str(path)] = checks
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"version": _VERSION, "checks": checks}, indent=1,
                                  sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)


def record_failure(check: str, n_hints: int) -> int:
    """Count one failure of ``check``; return the hint level to show (1-based)."""
    checks = _load()
    entry = checks.get(check, {"failures": 0, "hint_seen": 0, "passed": False})
    entry["failures"] += 1
    level = min(entry["failures"], n_hints)
    entry["hint_seen"] = max(entry["hint_seen"], level)
    entry["hints"] = n_hints
    checks[check] = entry
    _save(checks)
    return level


def record_pass(check: str) -> None:
    """Mark ``check`` passed, if it had failed before (a first-try pass writes nothing)."""
    checks = _load()
    if check in checks and not checks[check]["passed"]:
        checks[check]["passed"] = True
        _save(checks)


def _count(entry: dict, key: str, where: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{where}: {key!r} must be a whole number >= 0; received {value!r}")
    return value


def read_hint_log(path) -> dict[str, dict]:
    """Read a hint log (a file, or a folder holding ``dlcourse-hints.json``).

    Returns ``{check: {"failures": int, "hint_seen": int, "hints": int, "passed": bool}}``;
    a folder without a log gives ``{}`` (no check failed there). Raises ``ValueError``
    with a one-line message naming the file if it is not a valid hint log.
    """
    path = Path(path)
    if path.is_dir():
        path = path / FILE_NAME
        if not path.exists():
            return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: expected a UTF-8 JSON hint log; received binary data") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: expected a JSON hint log; received invalid JSON ({err.msg})") \
            from None
    if not isinstance(raw, dict) or raw.get("version") != _VERSION \
            or not isinstance(raw.get("checks"), dict):
        raise ValueError(f"{path}: expected {{'version': {_VERSION}, 'checks': {{...}}}}; "
                         f"received {type(raw).__name__} without them")
    checks = {}
    for name, entry in raw["checks"].items():
        where = f"{path}, {name!r}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected an object; received {type(entry).__name__}")
        clean = {key: _count(entry, key, where) for key in ("failures", "hint_seen", "hints")}
        if not isinstance(entry.get("passed"), bool):
            raise ValueError(f"{where}: 'passed' must be true or false; "
                             f"received {entry.get('passed')!r}")
        if clean["hint_seen"] > clean["hints"]:
            raise ValueError(f"{where}: hint_seen ({clean['hint_seen']}) exceeds "
                             f"hints ({clean['hints']})")
        checks[name] = {**clean, "passed": entry["passed"]}
    return checks
