from django.core.management.base import BaseCommand

from hub.funding.demo import load_demo_inkind


class Command(BaseCommand):
    help = (
        "Load the demo exchange rates and WMAT's illustrative valuation rates and in-kind "
        "contributions. Needs the reference data (load_demo_partnerships). Safe to run again."
    )

    def handle(self, *args, **options):
        """Use after `load_demo_partnerships` (`make demo` runs both in order)."""
        contributions = load_demo_inkind(out=self.stdout.write)
        self.stdout.write(
            f"Demo in-kind data: {contributions} contributions added (illustrative figures)."
        )
