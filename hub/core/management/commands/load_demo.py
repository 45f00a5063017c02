from django.core.management.base import BaseCommand

from hub.funding.demo import load_demo_inkind
from hub.partnerships.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the 2016 Partnerships Workshop as demo data, with demo accounts. Safe to run again."
    )

    def handle(self, *args, **options):
        created = load_demo(out=self.stdout.write)
        self.stdout.write(f"Demo data: {created} partnerships added.")
        contributions = load_demo_inkind(out=self.stdout.write)
        self.stdout.write(
            f"Demo in-kind data: {contributions} contributions added (illustrative figures)."
        )
