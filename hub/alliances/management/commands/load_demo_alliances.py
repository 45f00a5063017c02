from django.core.management.base import BaseCommand

from hub.alliances.assessments.demo import load_demo


class Command(BaseCommand):
    help = "Load a demo alliance assessed by two of its members. Safe to run again."

    def handle(self, *args, **options):
        """Use on a hub nobody else can reach, after `load_demo_meetings` (`make demo`)."""
        added = load_demo(out=self.stdout.write)
        self.stdout.write(f"Demo data: {added} alliance assessment(s) added.")
