"""Background work of meetings, run by `manage.py db_worker`: the daily reminders."""

from __future__ import annotations

from django.tasks import task

from hub.meetings.reminders import send_due_reminders


@task
def send_reminders() -> int:
    """E-mail the owners of action items due soon (see hub.meetings.reminders); returns how many
    were sent. Enqueued by `manage.py send_reminders --enqueue`, e.g. daily from cron."""
    return send_due_reminders()
