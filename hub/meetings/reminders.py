"""E-mail reminders of action items, sent once per due date however many workers run.

Each item is claimed with one conditional UPDATE (`reminder_sent_for` set to the due date where it
was not that date yet): only the worker whose UPDATE touched the row sends, so two workers never
send the same reminder twice. A changed due date arms the reminder again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.meetings.models import ActionItem, Meeting

LONGEST_NOTICE = 60  # days: ActionItem.remind_days_before's upper bound


def due_for_reminder(today: datetime.date) -> list[ActionItem]:
    """Open items whose owner is an active person with an e-mail address, due today or within
    their `remind_days_before` days, whose reminder for this due date is not sent yet."""
    candidates = (
        ActionItem.objects.open()
        .filter(
            owner__isnull=False,
            owner__is_active=True,
            remind_days_before__gt=0,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=LONGEST_NOTICE),
        )
        .exclude(owner__email="")
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    return [
        item
        for item in candidates
        if item.due_on is not None
        and item.due_on - datetime.timedelta(days=item.remind_days_before) <= today
        and item.reminder_sent_for != item.due_on
    ]


def claim(item: ActionItem) -> bool:
    """Mark the reminder of `item` for its due date as sent, if nobody has: True for the one
    caller whose UPDATE changed the row. The conditions repeat the status and the due date, so a
    reminder is not sent for an item completed, cancelled or moved meanwhile."""
    touched = (
        ActionItem.objects.filter(
            pk=item.pk, due_on=item.due_on, status__in=ActionItem.OPEN_STATUSES
        )
        .exclude(reminder_sent_for=item.due_on)
        .update(reminder_sent_for=item.due_on)
    )
    return touched == 1


def _send(item: ActionItem) -> None:
    owner = item.owner
    if owner is None:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("meetings:next_steps")
    meeting_link = settings.SITE_URL.rstrip("/") + item.meeting.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            (
                _("Reminder: “%(what)s” is due on %(due)s")
                % {"what": item.what, "due": item.due_on}
            ).split()
        )
        body = _(
            "Hello %(name)s,\n\nyour next step “%(what)s” from the meeting “%(meeting)s” is due on "
            "%(due)s.\n\nThe meeting: %(meeting_link)s\nYour next steps: %(link)s\n"
        ) % {
            "name": owner.get_full_name() or owner.username,
            "what": item.what,
            "meeting": item.meeting.title,
            "due": item.due_on,
            "meeting_link": meeting_link,
            "link": link,
        }
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[owner.email])


def send_due_reminders(today: datetime.date | None = None) -> int:
    """Send every reminder that is due today; returns how many were sent. Only owners who may
    still see the meeting are written to (nobody is sent the text of a meeting they cannot read)."""
    today = today or timezone.localdate()
    return sum(1 for item in due_for_reminder(today) if remind(item))


def remind(item: ActionItem) -> bool:
    """Send the reminder of one item read by `due_for_reminder`, if its owner still sees the
    meeting and no other worker has claimed it meanwhile; True if this call sent it."""
    owner = item.owner
    if owner is None or not Meeting.objects.visible_to(owner).filter(pk=item.meeting_id).exists():
        return False
    if not claim(item):
        return False
    _send(item)
    return True
