"""Compute the public network map (what visitors who are not signed in see) now, or queue it.

Run it after loading data (e.g. the demo) or nightly from cron, so that the map a visitor opens
is ready: `manage.py compute_network [--group kind|country|sector] [--enqueue]`. Maps of signed-in
people are computed when they ask on the page, each over what that person may see.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from hub.alliances.network import services
from hub.alliances.network.graph import GROUPS, NetworkFilter


class Command(BaseCommand):
    help = "Compute the public network map for a grouping (all of them by default)."

    def add_arguments(self, parser):
        parser.add_argument("--group", choices=sorted(GROUPS), help="Only this grouping.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it for the background worker."
        )

    def handle(self, *args, group: str | None = None, enqueue: bool = False, **options):
        for name in [group] if group else sorted(GROUPS):
            filters = NetworkFilter(QueryDict(f"group={name}"))
            snapshot = services.snapshot_request(actor=AnonymousUser(), filters=filters)
            if enqueue:
                self.stdout.write(f"{filters.key}: queued.")
                continue
            done = services.snapshot_compute(snapshot_id=snapshot.pk)
            if done is None:
                raise CommandError(f"{filters.key}: the computation failed (see the log).")
            self.stdout.write(
                f"{filters.key}: {done.node_count} organizations, {done.edge_count} ties."
            )
