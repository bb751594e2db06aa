"""The published and student variants of _config.yml."""

from pathlib import Path

import pytest

from dlcourse.instructor import bookconfig

ROOT = Path(__file__).resolve().parents[1]


def test_base_config_has_no_invented_repository():
    config = bookconfig.load_config(ROOT / "_config.yml")
    assert config["repository"]["url"] == ""
    assert not any(config["launch_buttons"][k] for k in ("binderhub_url", "colab_url"))


def test_publish_turns_on_launch_buttons():
    config = bookconfig.load_config(ROOT / "_config.yml")
    out = bookconfig.publish_config(config, "https://github.com/someone/dlcourse")
    assert out["repository"]["url"] == "https://github.com/someone/dlcourse"
    assert out["launch_buttons"]["binderhub_url"] == bookconfig.BINDERHUB_URL
    assert out["launch_buttons"]["colab_url"] == bookconfig.COLAB_URL
    assert config["repository"]["url"] == "", "the source config must not be modified"


def test_publish_refuses_a_non_github_url():
    config = bookconfig.load_config(ROOT / "_config.yml")
    with pytest.raises(ValueError, match="repository_url must be a GitHub URL"):
        bookconfig.publish_config(config, "gitlab.com/x/y")


def test_cli_writes_a_config(tmp_path):
    from dlcourse.__main__ import main

    out = tmp_path / "c.yml"
    assert main(["book-config", "--config", str(ROOT / "_config.yml"),
                 "--repository-url", "https://github.com/a/b", "-o", str(out)]) == 0
    assert bookconfig.load_config(out)["repository"]["url"] == "https://github.com/a/b"
