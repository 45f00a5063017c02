"""Send the e-mail reminders of action items that are due.

Run it once a day, e.g. from cron at 06:00 (`manage.py send_reminders`), or with `--enqueue` to hand
the work to the background worker (`manage.py db_worker`). Running it more often, or on several
machines at once, sends no reminder twice: each is claimed by one conditional UPDATE.
"""

from django.core.management.base import BaseCommand

from hub.meetings.reminders import send_due_reminders
from hub.meetings.tasks import send_reminders


class Command(BaseCommand):
    help = "E-mail the owners of action items due within their chosen number of days (daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the background worker instead of sending now.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_reminders.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
