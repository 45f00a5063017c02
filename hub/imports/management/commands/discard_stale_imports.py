"""manage.py discard_stale_imports

Run it daily (cron, or a Toolforge scheduled job): uploads that nobody confirmed or discarded for
seven days are discarded and their files deleted from MEDIA_ROOT/imports, so abandoned spreadsheets
do not stay on the server. Running imports are not touched; finished ones only lose a leftover file.
The upload page does the same on every upload; this command makes sure it happens.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hub.imports.jobs import discard_stale_uploads


class Command(BaseCommand):
    help = "Discard import uploads left unconfirmed for 7 days and delete their files."

    def handle(self, *args, **options):
        count = discard_stale_uploads()
        self.stdout.write(_("Discarded %(count)s stale uploads.") % {"count": count})
