"""The publishing workflow is a valid GitHub Actions file that builds with the README's
command and deploys to GitHub Pages (validated by check-jsonschema against the
workflow schema it vendors: no network)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "book.yml"


def test_workflow_matches_the_github_actions_schema():
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run([str(exe), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_builds_with_make_book_for_this_repository_and_deploys_pages():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [s.get("run", "") + str(s.get("uses", "")) for s in flow["jobs"]["build"]["steps"]]
    assert any("make book REPO_URL=" in s and "github.repository" in s for s in steps)
    assert any("make pdf" in s for s in steps)
    assert any(s.startswith("actions/upload-pages-artifact") for s in steps)
    deploy = flow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages") for s in deploy["steps"])
