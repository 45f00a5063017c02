from django.core.management.base import BaseCommand

from hub.knowledge.demo import load_demo
from hub.knowledge.resources.demo import load_demo as load_demo_resources


class Command(BaseCommand):
    help = (
        "Load the 2016 Partnerships Workshop's lessons and the reference notes' partnering tools "
        "as demo data. Safe to run again."
    )

    def handle(self, *args, **options):
        """Use on a hub nobody else can reach, after `load_demo_partnerships` (`make demo`)."""
        created = load_demo(out=self.stdout.write)
        self.stdout.write(f"Demo data: {created} lessons added.")
        resources = load_demo_resources(out=self.stdout.write)
        self.stdout.write(f"Demo data: {resources} resources added.")
