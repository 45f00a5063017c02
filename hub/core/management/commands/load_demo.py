"""Every app's demo data in one command, without core knowing the apps.

Each app that has demo data ships its own `load_demo_<what>` command (partnerships:
`load_demo_partnerships`, funding: `load_demo_inkind`). This command finds them through the app
registry and runs them in the order of INSTALLED_APPS, which lists the lower apps first, so an app's
demo data may rely on the demo data of the apps below it. `make demo` names the same commands in
the same order (hub/core/tests/test_demo_commands.py keeps the two in step).
"""

from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

PREFIX = "load_demo_"


def demo_commands() -> list[str]:
    """The names of the apps' demo commands, lower apps first (within one app, by name)."""
    position = {config.name: index for index, config in enumerate(apps.get_app_configs())}
    found = [
        (position[app], name)
        for name, app in get_commands().items()
        if name.startswith(PREFIX) and app in position
    ]
    return [name for _, name in sorted(found)]


class Command(BaseCommand):
    help = (
        "Load the 2016 Partnerships Workshop as demo data, with demo accounts. Safe to run again."
    )

    def handle(self, *args, **options):
        """Use for a hub nobody else can reach (a laptop, a test): the same as `make demo`'s steps."""
        for name in demo_commands():
            call_command(name, stdout=self.stdout, stderr=self.stderr)
