"""Meetings, decisions and action items for tests, made through the same services the pages use."""

import datetime

from django.utils import timezone

from hub.accounts.system import system_actor
from hub.directory.factories import AffiliateFactory
from hub.meetings import services
from hub.meetings.models import ActionItem, Meeting


def make_meeting(*, organization=None, actor=None, **fields) -> Meeting:
    organization = organization or AffiliateFactory()
    start = fields.pop("starts_at", None) or timezone.now() + datetime.timedelta(days=7)
    fields.setdefault("title", f"A meeting of {organization.name}")
    fields.setdefault("ends_at", start + datetime.timedelta(hours=2))
    fields.setdefault("time_zone", "Europe/Berlin")
    return services.meeting_create(
        actor=actor or system_actor(),
        starts_at=start,
        organizations=fields.pop("organizations", [organization]),
        **fields,
    )


def make_item(*, meeting, actor=None, **fields) -> ActionItem:
    fields.setdefault("what", "Write the vision document")
    if "owner" not in fields and "owner_organization" not in fields:
        fields["owner_organization"] = meeting.organizations.first()
    return services.action_item_create(actor=actor or system_actor(), meeting=meeting, **fields)
