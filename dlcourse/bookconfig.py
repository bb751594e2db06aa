"""Variants of the book's ``_config.yml``: the published book and the student edition.

``_config.yml`` is the one source. Publishing needs one setting, the repository's
public URL, from which the launch buttons (Binder, Colab, JupyterHub) are built; the
student edition hides solutions. Both are written as new files next to
``_config.yml`` so relative paths (``references.bib``) still resolve.
"""

from __future__ import annotations

from pathlib import Path

import yaml

BINDERHUB_URL = "https://mybinder.org"
COLAB_URL = "https://colab.research.google.com"


def publish_config(config: dict, repository_url: str, jupyterhub_url: str = "") -> dict:
    """Return ``config`` with the repository URL set and launch buttons on."""
    if not repository_url.startswith("https://github.com/"):
        raise ValueError(
            "publish_config: repository_url must be a GitHub URL "
            "(https://github.com/<owner>/<repo>), which Binder and Colab need; "
            f"received {repository_url!r}"
        )
    config = dict(config)
    config["repository"] = {**config.get("repository", {}), "url": repository_url}
    config["launch_buttons"] = {
        **config.get("launch_buttons", {}),
        "binderhub_url": BINDERHUB_URL,
        "colab_url": COLAB_URL,
        "jupyterhub_url": jupyterhub_url,
    }
    config["html"] = {
        **config.get("html", {}),
        "use_repository_button": True,
        "use_issues_button": True,
    }
    return config


def student_config(config: dict) -> dict:
    """Return ``config`` for the student edition: solutions hidden."""
    config = dict(config)
    sphinx = dict(config.get("sphinx", {}))
    sphinx["config"] = {**sphinx.get("config", {}), "hide_solutions": True}
    config["sphinx"] = sphinx
    config["title"] = f"{config.get('title', 'dlcourse')} (student edition)"
    return config


def write_config(config: dict, path: str | Path) -> Path:
    """Write a config dict as YAML."""
    path = Path(path)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def load_config(path: str | Path = "_config.yml") -> dict:
    """Read the book's ``_config.yml``."""
    return yaml.safe_load(Path(path).read_text())
