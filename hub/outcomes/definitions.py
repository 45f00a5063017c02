"""The metric definitions the hub ships (version 1 of each), in the words of the sources they come
from (shared reference: partnering.md §6). `confirmed=False` marks wording no source confirms as
it stands here. Loaded by migration 0002; a changed method is a new version, never an edit."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

GRANTS_METRICS = "https://meta.wikimedia.org/wiki/Grants:Metrics"
DASHBOARD = (
    "https://meta.wikimedia.org/wiki/Programs_%26_Events_Dashboard/Using_the_Dashboard/"
    "Metrics_and_tracking"
)
EVENT_METRICS = "https://meta.wikimedia.org/wiki/Community_Tech/Grant_metrics_tool"

SHIPPED: list[dict[str, Any]] = [
    {
        "key": "participants",
        "name": N_("Participants"),
        "unit": "people",
        "key_kind": "user",
        "method": "People who took part, each counted once by their global user name.",
        "exclusions": "Organisers, social-media followers and donors are not participants.",
        "source_tool": "WMF shared metrics",
        "sources": GRANTS_METRICS,
        "confirmed": True,
    },
    {
        "key": "pages_created",
        "name": N_("Content pages created"),
        "unit": "pages",
        "key_kind": "page",
        "method": "Content pages created: articles, Wikidata items, Wikisource pages, Wiktionary "
        "entries and Commons files, each page counted once (wiki and title).",
        "exclusions": "",
        "source_tool": "WMF shared metrics; Event Metrics (Pages created)",
        "sources": f"{GRANTS_METRICS} {EVENT_METRICS}",
        "confirmed": True,
    },
    {
        "key": "pages_improved",
        "name": N_("Content pages improved"),
        "unit": "pages",
        "key_kind": "page",
        "method": "Existing content pages edited, each page counted once (wiki and title).",
        "exclusions": "Pages created in the same period count as created, not improved "
        "(the hub's choice; not confirmed by a source).",
        "source_tool": "WMF shared metrics; Event Metrics (Pages improved)",
        "sources": f"{GRANTS_METRICS} {EVENT_METRICS}",
        "confirmed": False,
    },
    {
        "key": "commons_uploads",
        "name": N_("Commons uploads"),
        "unit": "files",
        "key_kind": "file",
        "method": "Files on Wikimedia Commons, each file counted once by its title. Fetched: the "
        "file members of a Commons category (categoryinfo), direct members only, with the "
        "date the count was taken.",
        "exclusions": "Files in subcategories are not counted (categoryinfo counts direct "
        "members only). Only uploads made during the event count (Dashboard).",
        "source_tool": "Commons categoryinfo; Programs & Events Dashboard (upload_count)",
        "sources": DASHBOARD,
        "confirmed": True,
    },
    {
        "key": "files_in_use",
        "name": N_("Uploaded files in use"),
        "unit": "files",
        "key_kind": "file",
        "method": "Uploaded files used on at least one page, each file counted once (not the "
        "number of usages).",
        "exclusions": "Usages are not counted, only files; whether usage outside the main "
        "namespace counts depends on the tool (Dashboard #201).",
        "source_tool": "Event Metrics (Uploaded files in use); Dashboard (uploads_used_in_articles)",
        "sources": EVENT_METRICS,
        "confirmed": False,
    },
    {
        "key": "wikidata_items_created",
        "name": N_("Wikidata items created"),
        "unit": "items",
        "key_kind": "item",
        "method": "Wikidata items created, each counted once by its QID.",
        "exclusions": "",
        "source_tool": "Event Metrics",
        "sources": EVENT_METRICS,
        "confirmed": True,
    },
    {
        "key": "wikidata_items_improved",
        "name": N_("Wikidata items improved"),
        "unit": "items",
        "key_kind": "item",
        "method": "Existing Wikidata items edited, each counted once by its QID.",
        "exclusions": "",
        "source_tool": "Event Metrics",
        "sources": EVENT_METRICS,
        "confirmed": True,
    },
    {
        "key": "page_views",
        "name": N_("Page views"),
        "unit": "views",
        "key_kind": "",
        "method": "Views of the pages created or improved. The Dashboard estimates them as days "
        "since the first revision × average daily views.",
        "exclusions": "An estimate: edits to high-traffic existing articles inflate it "
        "(Dashboard #6534).",
        "source_tool": "Programs & Events Dashboard (article_views)",
        "sources": DASHBOARD,
        "confirmed": True,
    },
    {
        "key": "people_reached",
        "name": N_("People reached"),
        "unit": "people",
        "key_kind": "",
        "method": "People reached by the activity (audience, visitors, attendees), as the "
        "organiser counts them.",
        "exclusions": "No source defines this metric; the hub's wording.",
        "source_tool": "",
        "sources": "",
        "confirmed": False,
    },
    {
        "key": "funds_raised",
        "name": N_("Funds raised"),
        "unit": "money",
        "key_kind": "",
        "method": "Money raised for the partnership, in the reporting currency, as the "
        "organiser states it.",
        "exclusions": "No source defines this metric; the hub's wording. In-kind support is "
        "recorded under funding, not here.",
        "source_tool": "",
        "sources": "",
        "confirmed": False,
    },
]


def load(model) -> int:
    """Create the shipped definitions that are missing (version 1); returns how many were made.
    `model` is MetricDefinition (or its historical model in a migration)."""
    made = 0
    for definition in SHIPPED:
        _, created = model.objects.get_or_create(
            key=definition["key"], version=1, defaults=definition
        )
        made += created
    return made
