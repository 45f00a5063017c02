"""The network map's SVG, drawn on the server from a snapshot's stored drawing.

Each organization (or, for a large graph, each group) is a <g> with a <title> that says its name,
group and brokerage role in words; labels are text, colours only repeat what the text says. The
table beside the drawing gives the same facts for everyone.
"""

from __future__ import annotations

import math

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_countries import countries

from hub.alliances.network.graph import MOVEMENT
from hub.directory.models import Organization

PALETTE = (
    "#36c", "#d73333", "#14866d", "#ac6600", "#6b4ba1", "#72777d", "#2a4b8d", "#b32424",
    "#0e6655", "#7d5800",
)  # fmt: skip
KIND_LABELS = dict(Organization.Kind.choices)  # lazy labels: translated when shown
LABELS_UP_TO = 60
TIES_DRAWN = 60  # lines between groups in a summarized drawing  # nodes; with more, names are in the titles and the table only


def role_label(role: str) -> str:
    return {
        "coordinator": _("coordinator"),
        "itinerant": _("itinerant"),
        "gatekeeper": _("gatekeeper"),
        "representative": _("representative"),
        "liaison": _("liaison"),
    }.get(role, _("no brokerage"))


def group_label(group: str, value: str) -> str:
    """A group's name in the reader's language."""
    if group == "country":
        if not value or value == "—":
            return _("No country")
        return str(countries.name(value)) or value
    if value == MOVEMENT:
        return _("Wikimedia movement")
    return str(KIND_LABELS.get(value, value))


def colours(groups: list[str]) -> dict[str, str]:
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(sorted(groups))}


def svg(drawing: dict, group: str, title: str) -> SafeString:
    if drawing.get("summarized"):
        body, desc = _summary(drawing, group)
    else:
        body, desc = _full(drawing, group)
    return format_html(
        # Drawn 640 px wide: on a phone it keeps that size and scrolls (labels stay 10 px or more).
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000" width="640" height="640" '
        'role="img" class="network-map" aria-labelledby="network-title network-desc">'
        '<title id="network-title">{}</title><desc id="network-desc">{}</desc>{}</svg>',
        title,
        desc,
        body,
    )


def _full(drawing: dict, group: str) -> tuple[SafeString, str]:
    nodes = drawing.get("nodes", [])
    where = {n[0]: (n[3], n[4]) for n in nodes}
    fill = colours(list({n[2] for n in nodes}))
    parts = []
    for a, b, weight in drawing.get("edges", []):
        (x1, y1), (x2, y2) = where[a], where[b]
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#a2a9b1" stroke-width="{}"/>',
                x1,
                y1,
                x2,
                y2,
                min(1 + weight, 6),
            )
        )
    for pk, label, g, x, y, role in nodes:
        text = _("%(name)s: %(group)s, %(role)s") % {
            "name": label,
            "group": group_label(group, g),
            "role": role_label(role),
        }
        shape = (
            format_html(
                '<rect x="{}" y="{}" width="16" height="16" fill="{}"/>', x - 8, y - 8, fill[g]
            )
            if role
            else format_html('<circle cx="{}" cy="{}" r="10" fill="{}"/>', x, y, fill[g])
        )
        inward = x > 500  # labels point to the middle, so they stay inside the picture
        name = (
            format_html(
                '<text x="{}" y="{}" font-size="22" text-anchor="{}">{}</text>',
                x - 14 if inward else x + 14,
                y + 7,
                "end" if inward else "start",
                label[:40],
            )
            if len(nodes) <= LABELS_UP_TO
            else ""
        )
        parts.append(
            format_html('<g data-node="{}"><title>{}</title>{}{}</g>', pk, text, shape, name)
        )
    desc = _(
        "%(nodes)s organizations and %(ties)s ties, clustered by group; squares broker between "
        "others, circles do not. The table below lists every organization."
    ) % {"nodes": len(nodes), "ties": len(drawing.get("edges", []))}
    return mark_safe("".join(parts)), desc  # noqa: S308 - every part is format_html


def _summary(drawing: dict, group: str) -> tuple[SafeString, str]:
    groups = drawing.get("groups", [])
    where = {g[0]: (g[2], g[3]) for g in groups}
    fill = colours(list(where))
    biggest = max((g[1] for g in groups), default=1)
    most = max((t[2] for t in drawing.get("ties", []) if t[0] != t[1]), default=1)
    parts = []
    drawn = [t for t in drawing.get("ties", []) if t[0] != t[1] and t[0] in where and t[1] in where]
    for ga, gb, n in drawn[:TIES_DRAWN]:  # the strongest; the table lists them too
        (x1, y1), (x2, y2) = where[ga], where[gb]
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#a2a9b1" stroke-width="{}">'
                "<title>{}</title></line>",
                x1,
                y1,
                x2,
                y2,
                round(1 + 9 * n / most, 1),
                _("%(a)s – %(b)s: %(n)s ties")
                % {"a": group_label(group, ga), "b": group_label(group, gb), "n": n},
            )
        )
    for g, size, x, y in groups:
        label = group_label(group, g)
        parts.append(
            format_html(
                '<g data-group="{}"><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="{}" '
                'fill-opacity="0.8"/><text x="{}" y="{}" font-size="16" text-anchor="middle">{}'
                "</text></g>",
                g,
                _("%(group)s: %(n)s organizations") % {"group": label, "n": size},
                x,
                y,
                round(8 + 40 * math.sqrt(size / biggest), 1),
                fill[g],
                x,
                y + round(8 + 40 * math.sqrt(size / biggest), 1) + 18,
                f"{label} ({size})",
            )
        )
    desc = _(
        "Too many organizations to draw one by one: each circle is a group, sized by its number "
        "of organizations; lines are the ties between groups. The table below lists every "
        "organization."
    )
    return mark_safe("".join(parts)), desc  # noqa: S308 - every part is format_html
