"""The declared version bounds are consistent, and the lower-bounds check tests exactly them.

``requirements.txt`` and ``pyproject.toml`` declare each package's range once each;
``constraints/lower.txt`` lists every declared lower bound as ``pkg==x.y.z`` for
``make test-lower``. If a bound changes in one file only, the check would test versions
nobody declared.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]


def _requirements(path: Path) -> dict[str, Requirement]:
    reqs = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            req = Requirement(line)
            reqs[canonicalize_name(req.name)] = req
    return reqs


def _lower_bound(req: Requirement) -> Version:
    (low,) = [Version(s.version) for s in req.specifier if s.operator == ">="]
    return low


def test_every_requirement_has_a_lower_and_an_upper_bound_and_no_exact_pin():
    for name, req in _requirements(ROOT / "requirements.txt").items():
        ops = sorted(s.operator for s in req.specifier)
        assert ops == ["<", ">="], f"requirements.txt: {name} should be '>=low,<high'; is {req}"


def test_pyproject_declares_the_same_ranges_as_requirements():
    reqs = _requirements(ROOT / "requirements.txt")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    for line in declared:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in reqs, f"pyproject.toml declares {name}, requirements.txt does not"
        assert req.specifier == reqs[name].specifier, (
            f"{name}: pyproject.toml says {req.specifier}, requirements.txt {reqs[name].specifier}")


def test_lower_constraints_are_exactly_the_declared_lower_bounds():
    reqs = _requirements(ROOT / "requirements.txt")
    pins = _requirements(ROOT / "constraints" / "lower.txt")
    assert sorted(pins) == sorted(reqs), "constraints/lower.txt must list every requirement once"
    for name, pin in pins.items():
        (spec,) = pin.specifier
        assert spec.operator == "==", f"constraints/lower.txt: {name} should be '=={spec.version}'"
        assert Version(spec.version) == _lower_bound(reqs[name]), (
            f"constraints/lower.txt pins {name}=={spec.version}; requirements.txt's lower "
            f"bound is {_lower_bound(reqs[name])}")
