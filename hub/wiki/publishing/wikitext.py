"""The wikitext the hub publishes: a partnership's table, an organization's portal table of
partnerships, a lesson as a learning pattern; and the edit summary that links back to the hub.

Every value is written so the wiki shows it as text: `&`, `<` and `>` as entities, and a line
holding wiki markup (`[[ ]]`, `{{ }}`, `|`, quotes, `=`, list and heading marks, signatures,
behaviour switches, URLs) inside <nowiki>; line breaks become <br />. `hub.core.tabular.wikitext`
reads such a cell back as the original text, which is what the read-back compares."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from hub.directory.models import Organization
from hub.knowledge.models import Lesson
from hub.partnerships.models import Participant, Partnership

MARKUP = re.compile(r"[\[\]{}|'=*#:;~_!<>&]|^[ -]|https?://|//|^\s*$", re.MULTILINE)


def text(value: str) -> str:
    """`value` as wikitext that shows exactly it."""
    lines = str(value).replace("\r\n", "\n").split("\n")
    out = []
    for line in lines:
        if not line:
            out.append("")
        elif MARKUP.search(line):
            out.append(f"<nowiki>{html.escape(line, quote=False)}</nowiki>")
        else:
            out.append(line)
    return "<br />".join(out)


def hub_url(record) -> str:
    return settings.SITE_URL.rstrip("/") + record.get_absolute_url()


def summary(record) -> str:
    """The edit summary: what was published and the hub's address of the record."""
    return _("Published from the Partnership Hub: %(record)s (%(url)s)") % {
        "record": str(record)[:200],
        "url": hub_url(record),
    }


def _external(url: str, label: str) -> str:
    return f"[{url.replace(' ', '%20').replace(']', '%5D')} {text(label) or url}]"


@dataclass(frozen=True)
class Row:
    """One row of a partnership's table: the field it shows, its label, its text and its links
    (as `[url label]`, one a line)."""

    field: str
    label: str
    value: str
    links: tuple[tuple[str, str], ...] = ()

    def cell(self) -> str:
        if self.links:
            return "<br />".join(_external(url, label) for label, url in self.links)
        return text(self.value)


def partnership_rows(partnership: Partnership) -> list[Row]:
    """The rows of a partnership's table, always all of them and in this order: the read-back
    pairs the wiki's rows with these by their label."""
    partners = [
        f"{p.organization.name} ({p.get_role_display()})"
        for p in partnership.participants.select_related("organization").order_by("pk")
        if p.role != Participant.Role.LEAD
    ]
    return [
        Row("title", _("Partnership"), partnership.title),
        Row("lead", _("Lead"), partnership.lead.name),
        Row("partners", _("Partners"), "\n".join(partners)),
        Row("goals", _("Goals"), "\n".join(str(g) for g in partnership.get_goals_display())),
        Row("status", _("Status"), str(partnership.get_status_display())),
        Row("scope", _("Scope"), str(partnership.get_scope_display())),
        Row("start_date", _("Start date"), _iso(partnership.start_date)),
        Row("end_date", _("End date"), _iso(partnership.end_date)),
        Row("description", _("Description"), partnership.description),
        Row(
            "projects",
            _("Wikimedia projects"),
            ", ".join(p.name for p in partnership.projects.order_by("name")),
        ),
        Row("themes", _("Themes"), ", ".join(t.name for t in partnership.themes.order_by("name"))),
        Row(
            "links",
            _("Links"),
            "",
            tuple((link.label, link.url) for link in partnership.links.order_by("pk")),
        ),
        Row("hub", _("In the Partnership Hub"), "", ((_("record"), hub_url(partnership)),)),
    ]


def _iso(day) -> str:
    return day.isoformat() if day else ""


# The fields of partnership_rows, in its order (the read-back pairs rows with fields by position
# in the published table, so a label in another language still finds its field).
ROW_FIELDS = (
    "title",
    "lead",
    "partners",
    "goals",
    "status",
    "scope",
    "start_date",
    "end_date",
    "description",
    "projects",
    "themes",
    "links",
    "hub",
)


def partnership_page(partnership: Partnership) -> str:
    lines = ['{| class="wikitable"', "|+ " + text(partnership.title)]
    lines.append("! " + text(_("Field")) + " !! " + text(_("Value")))
    for row in partnership_rows(partnership):
        lines += ["|-", "! " + text(row.label), "| " + row.cell()]
    lines.append("|}")
    return "\n".join(lines) + "\n"


def organization_partnerships(organization: Organization) -> list[Partnership]:
    """The public partnerships an organization leads or takes part in (nothing else is ever
    published)."""
    return list(
        Partnership.objects.filter(visibility="public")
        .filter(participants__organization=organization)
        .distinct()
        .select_related("lead")
        .prefetch_related("participants__organization")
        .order_by("-start_date", "title", "pk")
    )


def organization_table(organization: Organization) -> str:
    """A portal table in the shape of Meta's partnership portals: one row per public partnership."""
    headers = [_("Partner"), _("Partnership"), _("Goals"), _("Status"), _("Start"), _("End")]
    lines = ['{| class="wikitable sortable"']
    lines.append("|+ " + text(_("Partnerships of %(name)s") % {"name": organization.name}))
    lines.append("! " + " !! ".join(text(h) for h in headers))
    for partnership in organization_partnerships(organization):
        partners = ", ".join(
            p.organization.name
            for p in partnership.participants.all()
            if p.organization_id != organization.pk
        )
        cells = [
            text(partners),
            _external(hub_url(partnership), partnership.title),
            text(", ".join(str(g) for g in partnership.get_goals_display())),
            text(str(partnership.get_status_display())),
            text(_iso(partnership.start_date)),
            text(_iso(partnership.end_date)),
        ]
        lines += ["|-", "| " + " || ".join(cells)]
    lines.append("|}")
    return "\n".join(lines) + "\n"


def lesson_pattern(lesson: Lesson) -> str:
    """A lesson in the sections of a Meta-Wiki learning pattern."""
    sections = [
        (_("What problem does this solve?"), lesson.problem),
        (_("What is the solution?"), lesson.solution),
        (_("Things to consider"), lesson.things_to_consider),
        (_("When to use"), lesson.when_to_use),
        (_("See also"), lesson.see_also),
    ]
    parts = [
        "'''" + text(lesson.title) + "''' (" + text(str(lesson.get_kind_display())) + ")",
        "",
    ]
    for heading, body in sections:
        parts += ["== " + text(heading) + " ==", text(body) if body.strip() else "", ""]
    parts.append(_external(hub_url(lesson), _("This lesson in the Partnership Hub")))
    return "\n".join(parts) + "\n"


def wikitext_of(record) -> str:
    if isinstance(record, Partnership):
        return partnership_page(record)
    if isinstance(record, Organization):
        return organization_table(record)
    if isinstance(record, Lesson):
        return lesson_pattern(record)
    raise TypeError(type(record).__name__)
