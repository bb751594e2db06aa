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
#: Values of Jupyter Book's ``execute.execute_notebooks``.
EXECUTE_MODES = ("auto", "cache", "force", "off")


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


def student_config(config: dict, execute: str | None = None) -> dict:
    """Return ``config`` for the student edition: solutions hidden, no way back to them.

    ``hide_solutions`` drops every ``{solution}`` directive. The edition is built from
    student copies of the notebooks (``python -m dlcourse assign --for-book``), so
    the repository, issue, edit and launch buttons, which would open the instructor's
    notebooks with their solutions, are switched off. ``execute`` overrides
    ``execute.execute_notebooks`` (``"cache"``, ``"force"``, ``"auto"`` or ``"off"``).
    """
    config = dict(config)
    sphinx = dict(config.get("sphinx", {}))
    sphinx["config"] = {**sphinx.get("config", {}), "hide_solutions": True}
    config["sphinx"] = sphinx
    config["title"] = f"{config.get('title', 'dlcourse')} (student edition)"
    config["html"] = {
        **config.get("html", {}),
        "use_repository_button": False,
        "use_issues_button": False,
        "use_edit_page_button": False,
    }
    config["launch_buttons"] = {
        **config.get("launch_buttons", {}),
        "binderhub_url": "",
        "colab_url": "",
        "jupyterhub_url": "",
        "thebe": False,
    }
    if execute is not None:
        if execute not in EXECUTE_MODES:
            raise ValueError(
                f"student_config: execute must be one of {list(EXECUTE_MODES)}; "
                f"received {execute!r}"
            )
        config["execute"] = {**config.get("execute", {}), "execute_notebooks": execute}
    return config


def write_config(config: dict, path: str | Path) -> Path:
    """Write a config dict as YAML."""
    path = Path(path)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def load_config(path: str | Path = "_config.yml") -> dict:
    """Read the book's ``_config.yml``."""
    return yaml.safe_load(Path(path).read_text())
