"""`make demo` and `manage.py load_demo` run the same apps' demo commands, in the same order."""

import re
from pathlib import Path

from django.conf import settings

from hub.core.management.commands.load_demo import demo_commands

MAKEFILE = Path(settings.BASE_DIR) / "Makefile"


def _make_demo_steps() -> list[str]:
    target = re.search(r"^demo:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(), re.MULTILINE)
    assert target, "no demo target in the Makefile"
    return re.findall(r"manage\.py (load_demo_\w+)", target.group(1))


def test_each_app_loads_its_own_demo_data_lower_apps_first():
    assert demo_commands() == [
        "load_demo_partnerships",
        "load_demo_inkind",
        "load_demo_knowledge",
        "load_demo_meetings",
        "load_demo_alliances",
    ]


def test_make_demo_runs_every_apps_demo_command_in_the_registrys_order():
    assert _make_demo_steps() == demo_commands()
