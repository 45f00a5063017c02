from django.core.management.base import BaseCommand

from hub.partnerships.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the reference data and the 2016 Partnerships Workshop (organizations, partnerships, "
        "demo accounts) as demo data. Safe to run again."
    )

    def handle(self, *args, **options):
        """Use on a hub nobody else can reach, before the other apps' demo data (`make demo`)."""
        created = load_demo(out=self.stdout.write)
        self.stdout.write(f"Demo data: {created} partnerships added.")
