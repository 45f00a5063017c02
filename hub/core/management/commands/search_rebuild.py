"""Rebuild the search index from the records themselves.

Use it after loading data without the services (a restore from an older hub, the benchmark's
generator, the admin's edits), after registering a new kind, or when results look stale. The
services keep the index current otherwise. Safe to run again; searches keep working meanwhile
(each kind is rebuilt in one transaction).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.core import search


class Command(BaseCommand):
    help = "Rebuild the search index of every kind of record (or of the kinds named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="kinds to rebuild (default: all)")

    def handle(self, *args, **options):
        names = options["kinds"] or None
        known = {kind.name for kind in search.kinds()}
        unknown = sorted(set(names or ()) - known)
        if unknown:
            raise CommandError(
                f"Unknown kinds: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        with transaction.atomic():
            counts = search.rebuild(names)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} entries")
