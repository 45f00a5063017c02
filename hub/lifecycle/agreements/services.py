"""Every write to agreements, their parties, checklist and files. Pages and the API call these.

Each is keyword-only, atomic, checks that the actor edits the partnership, and records history on
the agreement (parties, checklist and files as readable lines, so a diff reads like a sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.core.officefiles import CONTENT_TYPES, check_office_file, digest
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements.models import Agreement, AgreementFile, AgreementParty, ChecklistItem
from hub.partnerships.models import Partnership

AGREEMENT_FIELDS = [
    "kind",
    "title",
    "status",
    "effective_date",
    "end_date",
    "renewal_date",
    "licence",
    "vrt_ticket",
    "grant",
    "details_public",
]
PARTY_FIELDS = [
    "organization",
    "address",
    "signatory_name",
    "signatory_role",
    "signed_on",
    "executing_unit",
]
TEXT_FIELDS = ("title", "vrt_ticket")
FILE_KINDS = {"pdf", "odt", "docx", "png", "jpeg"}
# What the history of an agreement holds that only those who see its details read.
DETAIL_FIELDS = ("parties", "checklist", "files", "vrt_ticket", "grant")


def _party_line(party: AgreementParty) -> str:
    parts = [str(party.organization)]
    if party.executing_unit:
        parts.append(f"({party.executing_unit})")
    if party.signatory_name:
        who = party.signatory_name + (f", {party.signatory_role}" if party.signatory_role else "")
        parts.append(f"— {who}")
    if party.signed_on:
        parts.append(f"[{party.signed_on.isoformat()}]")
    if party.address:
        parts.append("· " + " ".join(party.address.split()))
    return " ".join(parts)


def _check_line(item: ChecklistItem) -> str:
    score = item.get_score_display() if item.score else _("unscored")
    line = f"{item.get_topic_display()}: {score}"
    return f"{line} — {item.note}" if item.note else line


def snapshot(agreement: Agreement) -> history.Snapshot:
    return history.snapshot(
        agreement,
        AGREEMENT_FIELDS,
        parties=[_party_line(p) for p in agreement.parties.select_related("organization")],
        checklist=[_check_line(i) for i in agreement.checklist.order_by("pk")],
        files=[
            f"v{f.number} {f.original_name} {f.sha256}" for f in agreement.files.order_by("number")
        ],
    )


def _editable(actor, partnership: Partnership) -> None:
    if not Partnership.objects.editable_by(actor).filter(pk=partnership.pk).exists():
        raise PermissionDenied(_("You cannot change this partnership's agreements."))


def _check(actor, agreement: Agreement) -> None:
    for name in TEXT_FIELDS:
        setattr(agreement, name, (getattr(agreement, name) or "").strip())
    if agreement.licence != Agreement.Licence.VRT and not agreement.vrt_ticket:
        agreement.vrt_ticket = ""
    grant = agreement.grant
    if grant is not None and (
        grant.partnership_id != agreement.partnership_id
        or not Grant.objects.visible_to(actor).filter(pk=grant.pk).exists()
    ):
        raise ValidationError({"grant": _("Choose a grant of this partnership.")})
    agreement.full_clean(exclude=["partnership", "grant"], validate_unique=False)


def _set_parties(agreement: Agreement, parties: Iterable[Mapping[str, Any]]) -> None:
    participants = set(agreement.partnership.participants.values_list("organization_id", flat=True))
    rows = []
    seen = set()
    for position, given in enumerate(parties):
        unknown = set(given) - set(PARTY_FIELDS)
        if unknown:
            raise ValidationError({"parties": _("A party has fields it cannot take.")})
        party = AgreementParty(agreement=agreement, position=position)
        for name in PARTY_FIELDS:
            value = given.get(name)
            if name != "organization" and name != "signed_on":
                value = (value or "").strip()
            setattr(party, name, value)
        organization = given.get("organization")
        if organization is None or organization.pk not in participants:
            raise ValidationError(
                {"parties": _("A party must be one of the partnership's participants.")}
            )
        if organization.pk in seen:
            raise ValidationError(
                {"parties": _("%(org)s is a party twice.") % {"org": organization}}
            )
        seen.add(organization.pk)
        try:
            party.full_clean(exclude=["agreement", "organization"], validate_unique=False)
        except ValidationError as error:
            raise ValidationError(
                {
                    "parties": [
                        f"{organization}: {message}"
                        for messages in error.message_dict.values()
                        for message in messages
                    ]
                }
            ) from error
        rows.append(party)
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(rows)


def _set_checklist(agreement: Agreement, checklist: Mapping[str, Mapping[str, Any]]) -> None:
    topics = set(ChecklistItem.Topic.values)
    scores = {"", *ChecklistItem.Score.values}
    unknown = set(checklist) - topics
    if unknown:
        raise ValidationError({"checklist": _("Unknown checklist topic: %(t)s") % {"t": unknown}})
    items = {item.topic: item for item in agreement.checklist.all()}
    for topic, given in checklist.items():
        score = (given.get("score") or "").strip()
        if score not in scores:
            raise ValidationError(
                {"checklist": _("Unknown score “%(score)s”.") % {"score": score[:40]}}
            )
        item = items.get(topic) or ChecklistItem(agreement=agreement, topic=topic)
        item.score = score
        item.note = (given.get("note") or "").strip()
        item.save()


def _new_checklist(agreement: Agreement) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(agreement=agreement, topic=topic) for topic in ChecklistItem.Topic.values
    )


@transaction.atomic
def agreement_create(
    *,
    actor,
    partnership: Partnership,
    kind: str,
    parties: Iterable[Mapping[str, Any]] = (),
    checklist: Mapping[str, Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Agreement:
    """Record an agreement of `partnership` with its parties; its checklist starts with the nine
    topics unscored (`checklist` scores some at once: {topic: {"score", "note"}})."""
    _editable(actor, partnership)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be set here.")))
    agreement = Agreement(partnership=partnership, kind=kind, **fields)
    _check(actor, agreement)
    agreement.save()
    _new_checklist(agreement)
    _set_parties(agreement, parties)
    if checklist:
        _set_checklist(agreement, checklist)
    history.record(
        actor=actor,
        instance=agreement,
        action=HistoryEntry.Action.CREATE,
        after=snapshot(agreement),
    )
    search.index(agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor,
    agreement: Agreement,
    expected_version: int | None = None,
    parties: Iterable[Mapping[str, Any]] | None = None,
    checklist: Mapping[str, Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Agreement:
    """Change an agreement; fields left out keep their values, `parties` (given) replaces them,
    `checklist` changes the topics it names."""
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = lock_for_edit(
        Agreement.objects.editable_by(actor),
        agreement.pk,
        expected_version,
        refusal=_("You cannot change this partnership's agreements."),
    )
    before = snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    _check(actor, locked)
    if parties is not None:
        _set_parties(locked, parties)
    if checklist is not None:
        _set_checklist(locked, checklist)
    save_change(actor, locked, before, snapshot(locked))
    search.index(locked)
    return locked


@transaction.atomic
def agreement_file_add(*, actor, agreement: Agreement, file: Any, signed: bool = True):
    """Keep a new version of the agreement's file (never replacing one): checked by content
    (PDF, ODT, DOCX, PNG or JPEG; no macros, zip bombs or XML entities), stored by its SHA-256."""
    locked = lock_for_edit(
        Agreement.objects.editable_by(actor),
        agreement.pk,
        None,
        refusal=_("You cannot change this partnership's agreements."),
    )
    try:
        kind = check_office_file(file, FILE_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    before = snapshot(locked)
    sha256, size = digest(file)
    name = str(getattr(file, "name", "") or "").rsplit("/", 1)[-1][:255] or f"agreement.{kind}"
    number = (locked.files.aggregate(n=Max("number"))["n"] or 0) + 1
    stored = AgreementFile(
        agreement=locked,
        number=number,
        original_name=name,
        content_type=CONTENT_TYPES[kind],
        size=size,
        sha256=sha256,
        signed=signed,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored.file.save(name, File(file), save=False)
    stored.save()
    save_change(actor, locked, before, snapshot(locked))
    return stored
