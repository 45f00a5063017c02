"""Reminders: sent once per due date, even by two workers at the same time; none for a cancelled
or completed item, an inactive owner, or an owner who may no longer see the meeting."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from hub.accounts.models import Membership
from hub.core.models import Visibility
from hub.meetings import services
from hub.meetings.factories import make_item, make_meeting
from hub.meetings.reminders import due_for_reminder, remind, send_due_reminders

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def meeting(affiliate, editor):
    return make_meeting(actor=editor, organization=affiliate, visibility=Visibility.PRIVATE)


@pytest.mark.django_db
def test_a_reminder_is_sent_once_within_the_chosen_days(meeting, viewer):
    item = make_item(
        meeting=meeting,
        owner=viewer,
        due_on=TODAY + datetime.timedelta(days=3),
        remind_days_before=3,
    )
    assert send_due_reminders(TODAY - datetime.timedelta(days=1)) == 0  # four days before
    assert send_due_reminders(TODAY) == 1
    assert send_due_reminders(TODAY) == 0
    assert send_due_reminders(TODAY + datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [[viewer.email]]
    assert item.what in mail.outbox[0].subject
    assert f"/meetings/{meeting.pk}/" in mail.outbox[0].body
    item.refresh_from_db()
    assert item.reminder_sent_for == item.due_on


@pytest.mark.django_db
def test_a_new_due_date_arms_the_reminder_again(meeting, editor, viewer):
    item = make_item(meeting=meeting, owner=viewer, due_on=TODAY, remind_days_before=1)
    assert send_due_reminders(TODAY) == 1
    services.action_item_update(actor=editor, item=item, due_on=TODAY + datetime.timedelta(days=5))
    assert send_due_reminders(TODAY) == 0
    assert send_due_reminders(TODAY + datetime.timedelta(days=4)) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_reminder_for_closed_items_no_reminder_or_unseen_meetings(meeting, editor, viewer):
    due = TODAY + datetime.timedelta(days=1)
    cancelled = make_item(meeting=meeting, owner=viewer, due_on=due)
    services.action_item_set_status(actor=editor, item=cancelled, status="cancelled")
    completed = make_item(meeting=meeting, owner=viewer, due_on=due)
    services.action_item_set_status(actor=viewer, item=completed, status="completed")
    make_item(meeting=meeting, owner=viewer, due_on=due, remind_days_before=0)
    make_item(meeting=meeting, owner_organization=meeting.organizations.get(), due_on=due)
    assert send_due_reminders(TODAY) == 0

    make_item(meeting=meeting, owner=viewer, due_on=due)
    Membership.objects.filter(user=viewer).delete()  # the viewer left: the meeting is private
    assert send_due_reminders(TODAY) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_inactive_owner_or_one_without_e_mail_gets_none(meeting, viewer, manager):
    make_item(meeting=meeting, owner=viewer, due_on=TODAY)
    make_item(meeting=meeting, owner=manager, due_on=TODAY)
    viewer.is_active = False
    viewer.save()
    manager.email = ""
    manager.save()
    assert send_due_reminders(TODAY) == 0


@pytest.mark.django_db
def test_the_command_sends_and_can_enqueue(meeting, viewer, settings):
    from django.utils import timezone

    make_item(meeting=meeting, owner=viewer, due_on=timezone.localdate())
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("send_reminders", "--enqueue")
    assert len(mail.outbox) == 1  # claimed already: the worker sends nothing twice


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_two_connections_send_each_reminder_once(affiliate, editor, viewer, manager):
    """Both workers read the due items before either claims one (the race a cron job and a queued
    task can run into); then each claims and sends on its own connection."""
    meeting = make_meeting(actor=editor, organization=affiliate)
    for n in range(6):
        make_item(
            meeting=meeting, what=f"Step {n}", owner=viewer if n % 2 else manager, due_on=TODAY
        )
    both_read = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    sent: dict[str, int] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            items = due_for_reminder(TODAY)
            both_read.wait()
            if name == "second":
                first_done.wait(30)
            sent[name] = sum(1 for item in items if remind(item))
        except BaseException as exc:  # reported to the test, which fails on it
            errors.append(exc)
        finally:
            first_done.set()
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sent == {"first": 6, "second": 0}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Reminder: “Step {n}” is due on {TODAY}" for n in range(6)
    )


@pytest.mark.django_db
def test_of_two_workers_that_read_the_same_item_only_one_claims_it(meeting, viewer):
    from hub.meetings.reminders import claim

    make_item(meeting=meeting, owner=viewer, due_on=TODAY)
    first, second = due_for_reminder(TODAY), due_for_reminder(TODAY)
    assert [claim(item) for item in first + second] == [True, False]
