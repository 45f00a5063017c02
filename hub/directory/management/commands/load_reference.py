from django.core.management.base import BaseCommand

from hub.directory.reference import load_reference


class Command(BaseCommand):
    help = "Load or refresh the reference affiliates, alliances and hubs. Safe to run again."

    def handle(self, *args, **options):
        counts = load_reference()
        self.stdout.write(
            "Reference data: {created} organizations created, {updated} updated, "
            "{memberships} alliance memberships added.".format(**counts)
        )
