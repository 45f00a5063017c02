"""The commands the README shows run as shown, on a checkout with no environment set."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# `VAR=value ... .venv/bin/python manage.py command`, in a code span or a code block
COMMAND = re.compile(r"((?:[A-Z_]+=\S+ )*)(?:\.venv/bin/)?python[\d.]* manage\.py (\w+)")


def _shown_commands() -> list[tuple[str, str, str]]:
    """(section, environment prefix, command) of every manage.py command the README shows."""
    shown = []
    section = ""
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        shown += [(section, env, name) for env, name in COMMAND.findall(line)]
    return shown


def test_the_readme_shows_manage_py_commands():
    names = {name for _s, _e, name in _shown_commands()}
    assert {"import_contributions", "export_open_data", "analyze_db"} <= names


@pytest.mark.parametrize(("section", "env", "name"), _shown_commands())
def test_each_command_runs_as_shown(section, env, name):
    # The deployment section runs its commands after loading the server's .env, as it says.
    if section == "Deployment":
        env = "DEBUG=0 SECRET_KEY=from-the-env-file ALLOWED_HOSTS=hub.example.org "
    variables = dict(pair.split("=", 1) for pair in env.split())
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(ROOT)), **variables}
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", name, "--help"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{section}: {env}manage.py {name}: {done.stderr[-500:]}"
