"""Counting a Commons category's files for a partnership's figure, through hub.wiki's client.

`categoryinfo` counts direct members only (files in subcategories are not counted); the file
titles listed with `list=categorymembers&cmtype=file` become the figure's keys, so two
partnerships that claim the same file count it once above them. The figure records when the count
was taken.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.outcomes import services
from hub.outcomes.models import Figure, MetricDefinition
from hub.partnerships.models import Partnership
from hub.wiki.client import WikiClient, WikiError, api_url_for

COMMONS = "commons.wikimedia.org"
PAGE_SIZE = 500


def category_title(text: str) -> str:
    name = text.strip()
    if name.lower().startswith("category:"):
        name = name[len("category:") :]
    name = " ".join(name.replace("_", " ").split())
    if not name or any(c in name for c in "|#<>[]{}"):
        raise ValidationError({"category": _("Give a category name, such as Images from X.")})
    return "Category:" + name[:1].upper() + name[1:]


def category_files(client: WikiClient, api_url: str, category: str) -> tuple[int, list[str]]:
    """The category's direct file count (categoryinfo) and its file titles."""
    answer = client.query(
        api_url, {"action": "query", "prop": "categoryinfo", "titles": category}, title=category
    )
    pages = answer.get("query", {}).get("pages", [])
    info = pages[0].get("categoryinfo") if pages else None
    if not info:
        raise WikiError(
            _("'%(title)s' has no members on %(wiki)s (or does not exist).")
            % {"title": category, "wiki": urlsplit(api_url).hostname}
        )
    titles: list[str] = []
    params = {
        "action": "query",
        "list": "categorymembers",
        "cmtitle": category,
        "cmtype": "file",
        "cmlimit": str(PAGE_SIZE),
    }
    while len(titles) <= services.MAX_KEYS:
        answer = client.query(api_url, params, title=category)
        titles += [m["title"] for m in answer.get("query", {}).get("categorymembers", [])]
        more = answer.get("continue", {}).get("cmcontinue")
        if not more:
            break
        params = {**params, "cmcontinue": more}
    return int(info.get("files", 0)), titles


def commons_category_fetch(
    *,
    actor,
    partnership: Partnership,
    category: str,
    period_start: datetime.date,
    period_end: datetime.date,
    wiki: str = COMMONS,
    definition: MetricDefinition | None = None,
    client: WikiClient | None = None,
) -> Figure:
    """Ask the wiki (Commons by default) for the category's files and record them as a figure of
    `partnership` (Commons uploads, newest definition, unless `definition` says otherwise), with
    the file titles as its keys. A wiki that is down or refuses raises ValidationError naming
    the wiki; nothing is recorded then."""
    title = category_title(category)
    services.check_may_edit(actor, partnership)
    try:
        api_url = api_url_for(wiki)
        count, titles = category_files(client or WikiClient(), api_url, title)
    except WikiError as error:
        raise ValidationError({"category": str(error)}) from error
    definition = definition or MetricDefinition.objects.current().get(key="commons_uploads")
    host = urlsplit(api_url).hostname or wiki
    complete = len(titles) <= services.MAX_KEYS
    return services.figure_create(
        actor=actor,
        partnership=partnership,
        definition=definition,
        period_start=period_start,
        period_end=period_end,
        value=count,
        source=Figure.Source.COMMONS,
        source_ref=f"{host} {title}",
        taken_at=timezone.now(),
        note=_("%(count)s files listed in %(title)s on %(wiki)s (direct members only).")
        % {"count": len(titles), "title": title, "wiki": host},
        keys=titles if complete else None,
    )
