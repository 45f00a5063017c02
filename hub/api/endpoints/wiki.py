"""Wiki publications: where a record was published (wiki, page, revision, when, who).

Read through hub.wiki.publishing.access (404 for a record the caller may not see) and the
Publication QuerySet's `visible_to`. The published wikitext is left out of the list: it is the
record's own fields, read through their endpoints."""

from __future__ import annotations

import datetime
import re

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import Cursor, Limit, prepared
from hub.api.pagination import Ordering, paginate
from hub.api.problems import Problem, problem
from hub.api.schemas import Out, Page
from hub.wiki.publishing.access import get_record_for
from hub.wiki.publishing.models import Publication

router = Router(tags=["wiki"], auth=READ_AUTH)
NEWEST = Ordering("-published", "published_at", descending=True, kind="datetime")
RECORD = re.compile(r"^(partnership|organization|lesson):([1-9][0-9]{0,17})$")


class PublicationQuery(Schema):
    record: str = Field(
        max_length=40,
        description="The record: partnership:<id>, organization:<id> or lesson:<id>.",
    )


class PublicationOut(Out):
    id: int
    kind: str = Field(description="partnership, organization or lesson.")
    record: int
    wiki: str = Field(description="The wiki's Action API address.")
    title: str
    revision: int = Field(description="The revision the hub's edit made.")
    page_url: str
    summary: str
    overwrote: bool = Field(description="Whether the edit overwrote changes made on the wiki.")
    published_at: datetime.datetime
    published_by: str | None


class PublicationPage(Page):
    items: list[PublicationOut]


def _out(publication: Publication) -> dict:
    return {
        "id": publication.pk,
        "kind": publication.kind,
        "record": publication.record.pk,
        "wiki": publication.api_url,
        "title": publication.title,
        "revision": publication.revision,
        "page_url": publication.page_url,
        "summary": publication.summary,
        "overwrote": publication.overwrote,
        "published_at": publication.published_at,
        "published_by": publication.published_by.username if publication.published_by else None,
    }


@router.get(
    "/wiki/publications",
    response={200: PublicationPage, 404: Problem, 422: Problem},
    url_name="wiki_publication_list",
    summary="List a record's wiki publications",
)
def wiki_publication_list(
    request: HttpRequest, filters: Query[PublicationQuery], limit: Limit = 50, cursor: Cursor = None
):
    user = caller(request)
    match = RECORD.match(filters.record)
    if match is None:
        return problem(
            422,
            _("record: give partnership:<id>, organization:<id> or lesson:<id>."),
            errors=[{"path": "record", "message": _("Not a record the hub publishes.")}],
        )
    record = get_record_for(user, match.group(1), int(match.group(2)))
    qs = (
        Publication.objects.visible_to(user)
        .of(record)
        .select_related("partnership", "organization", "lesson", "published_by")
    )
    notices: list[str] = []
    rows, next_url = paginate(request, qs, NEWEST, limit=limit, cursor=cursor, notices=notices)
    return prepared(
        request, {"items": [_out(p) for p in rows], "next": next_url, "notices": notices}
    )
