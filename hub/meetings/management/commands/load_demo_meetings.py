from django.core.management.base import BaseCommand

from hub.meetings.demo import load_demo


class Command(BaseCommand):
    help = "Load the 2016 Partnerships Workshop as a demo meeting with its next steps. Safe to run again."

    def handle(self, *args, **options):
        """Use on a hub nobody else can reach, after `load_demo_partnerships` (`make demo`)."""
        created = load_demo(out=self.stdout.write)
        self.stdout.write(f"Demo data: {created} meeting added.")
