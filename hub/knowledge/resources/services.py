"""Every write to the resource library. Pages, the API and the demo loader call these and nothing
else: keyword-only, atomic, permission checked, history recorded, the search kept current.

A file is checked by its content (hub.core.officefiles: PDF, ODT, DOCX, PNG or JPEG; no macros,
zip bombs or XML entities) and stored under its SHA-256; a replaced file's old copy is left for
the backups, never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history, search
from hub.core.editing import lock_for_edit, save_change
from hub.core.models import HistoryEntry
from hub.core.officefiles import check_office_file, digest
from hub.directory.models import Organization
from hub.knowledge.resources.models import Resource, ResourceTag
from hub.knowledge.services import TOPIC_FACETS, check_writes_for, set_tags, topic_labels

FIELDS = [
    "title",
    "kind",
    "description",
    "url",
    "language",
    "licence",
    "review_by",
    "organization",
    "visibility",
]
LISTS = tuple(TOPIC_FACETS)  # steps, goals, partner_types
FILE_KINDS = ("pdf", "odt", "docx", "png", "jpeg")


def _snapshot(resource: Resource) -> history.Snapshot:
    return history.snapshot(
        resource, FIELDS, file=resource.file_name, sha256=resource.sha256, **topic_labels(resource)
    )


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], Any]:
    upload = fields.pop("file", None)
    unknown = set(fields) - set(FIELDS) - set(LISTS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), _("This field cannot be set here.")))
    own = {k: v for k, v in fields.items() if k in FIELDS}
    lists = {k: v for k, v in fields.items() if k in LISTS}
    return own, lists, upload


def _attach(resource: Resource, upload: Any) -> None:
    """Check `upload` and keep it on `resource` (saved by the caller)."""
    try:
        kind = check_office_file(upload, FILE_KINDS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    resource.sha256, resource.size = digest(upload)
    resource.file_kind = kind
    name = str(getattr(upload, "name", "") or "").rsplit("/", 1)[-1].strip()
    resource.file_name = name[:255] or f"resource.{kind}"
    resource.file.save(resource.file_name, File(upload), save=False)


def _check(resource: Resource) -> None:
    resource.title = " ".join(resource.title.split())
    resource.full_clean(exclude=["organization", "author", "file"], validate_unique=False)


@transaction.atomic
def resource_create(
    *,
    actor,
    organization: Organization,
    title: str,
    kind: str,
    review_by,
    is_demo: bool = False,
    **fields: Any,
) -> Resource:
    """Share a resource for a movement organization the actor is a member of. `fields` are the
    other fields (description, url, language, licence, visibility), `file` (an uploaded file)
    and the lists steps (preset step keys), goals and partner_types. An address or a file is
    needed."""
    check_writes_for(actor, organization)
    own, lists, upload = _split(fields)
    resource = Resource(
        organization=organization,
        author=actor if actor.is_authenticated and actor.is_active else None,
        title=title,
        kind=kind,
        review_by=review_by,
        is_demo=is_demo,
        **own,
    )
    if upload is not None:
        _attach(resource, upload)
    _check(resource)
    resource.save()
    if lists:
        set_tags(ResourceTag, "resource", resource, lists)
    history.record(
        actor=actor,
        instance=resource,
        action=HistoryEntry.Action.CREATE,
        after=_snapshot(resource),
    )
    search.index(resource)
    return resource


@transaction.atomic
def resource_update(
    *, actor, resource: Resource, expected_version: int | None = None, **fields: Any
) -> Resource:
    """Change a resource; fields and lists left out keep their values, a new `file` replaces the
    old one."""
    own, lists, upload = _split(fields)
    locked = lock_for_edit(
        Resource.objects.editable_by(actor),
        resource.pk,
        expected_version,
        refusal=_("You cannot edit this resource."),
    )
    before = _snapshot(locked)
    if "organization" in own and own["organization"].pk != locked.organization_id:
        check_writes_for(actor, own["organization"])
    for name, value in own.items():
        setattr(locked, name, value)
    if upload is not None:
        _attach(locked, upload)
    _check(locked)
    if lists:
        set_tags(ResourceTag, "resource", locked, lists)
    save_change(actor, locked, before, _snapshot(locked))
    search.index(locked)
    return locked


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    """Remove a resource from the library (its history stays)."""
    locked = lock_for_edit(
        Resource.objects.editable_by(actor),
        resource.pk,
        None,
        refusal=_("You cannot remove this resource."),
    )
    history.record(
        actor=actor,
        instance=locked,
        action=HistoryEntry.Action.DELETE,
        before=_snapshot(locked),
    )
    search.unindex(locked)
    locked.delete()
