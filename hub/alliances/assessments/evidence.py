"""Evidence for a score: links to hub records, read and written by their page address.

An assessor pastes the addresses of hub pages (a meeting, a partnership, a grant, a lesson),
one a line; `parse` turns each into (kind, id) and refuses what is not such a page or what the
assessor may not see. `shown` gives a reader the records of a list of evidence they may see;
the others are left out without a trace (not even counted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from hub.alliances.assessments.models import Evidence
from hub.funding.grants.models import Grant
from hub.knowledge.models import Lesson
from hub.meetings.models import Meeting
from hub.partnerships.models import Partnership


@dataclass(frozen=True)
class Source:
    kind: str
    url_name: str
    visible: Callable[[object], models.QuerySet]
    title: str


SOURCES: dict[str, Source] = {
    Evidence.Kind.MEETING: Source(
        Evidence.Kind.MEETING, "meetings:detail", Meeting.objects.visible_to, "title"
    ),
    Evidence.Kind.PARTNERSHIP: Source(
        Evidence.Kind.PARTNERSHIP,
        "partnerships:detail",
        Partnership.objects.visible_to,
        "title",
    ),
    Evidence.Kind.GRANT: Source(
        Evidence.Kind.GRANT, "funding:grant_detail", Grant.objects.visible_to, "title"
    ),
    Evidence.Kind.LESSON: Source(
        Evidence.Kind.LESSON, "knowledge:lesson_detail", Lesson.objects.visible_to, "title"
    ),
}
BY_URL_NAME = {source.url_name: source for source in SOURCES.values()}


@dataclass(frozen=True)
class Shown:
    kind: str
    object_id: int
    title: str
    url: str


def parse(user, text: str, host: str = "") -> list[tuple[str, int]]:
    """The (kind, id) of each hub page address in `text` (one a line; blank lines skipped): a
    path, or a full address on `host` (this hub). Raises ValidationError naming the line that
    is not a meeting, partnership, grant or lesson page of this hub that `user` may see."""
    found: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.strip()
        if not address:
            continue
        parts = urlsplit(address)
        elsewhere = bool(parts.netloc) and parts.netloc.lower() != host.lower()
        try:
            match = None if elsewhere else resolve(parts.path or "/")
        except Resolver404:
            match = None
        source = BY_URL_NAME.get(match.view_name) if match else None
        pk = match.kwargs.get("pk") if match else None
        if source is None or pk is None:
            raise ValidationError(
                _(
                    "Line %(n)s: “%(address)s” is not the address of a meeting, partnership, "
                    "grant or lesson in the hub."
                ),
                code="evidence_address",
                params={"n": number, "address": address[:200]},
            )
        if not source.visible(user).filter(pk=pk).exists():
            raise ValidationError(
                _("Line %(n)s: “%(address)s” is not a record you can see."),
                code="evidence_unseen",
                params={"n": number, "address": address[:200]},
            )
        if (source.kind, pk) not in found:
            found.append((source.kind, int(pk)))
    return found


def address(kind: str, object_id: int) -> str:
    return reverse(SOURCES[kind].url_name, args=[object_id])


def shown(user, evidence: Iterable[Evidence]) -> dict[int, list[Shown]]:
    """{evidence pk: Shown} for the evidence whose record `user` may see: one query per kind."""
    wanted: dict[str, set[int]] = {}
    items = list(evidence)
    for e in items:
        wanted.setdefault(e.kind, set()).add(e.object_id)
    titles: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        source = SOURCES[kind]
        for pk, title in source.visible(user).filter(pk__in=ids).values_list("pk", source.title):
            titles[kind, pk] = title
    out: dict[int, list[Shown]] = {}
    for e in items:
        title = titles.get((e.kind, e.object_id))
        if title is not None:
            out.setdefault(e.score_id, []).append(
                Shown(e.kind, e.object_id, title, address(e.kind, e.object_id))
            )
    return out
