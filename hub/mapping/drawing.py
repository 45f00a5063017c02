"""The goal diagram and the structure map, written as SVG by the hub itself.

Both charts have a fixed shape (three overlapping circles; four quadrants), so their SVG is a few
circles, rectangles and texts placed on a fixed grid: writing it directly costs well under a
millisecond, where drawing it through Vega-Lite and vl-convert cost 60-130 ms per chart on every
cold mapping page. The other charts of the hub (bars, lines) still go through hub/core/charts.py.

The SVG follows the conventions of the charts rendered by vl-convert, so one page stylesheet and one
set of tests serve both: colours are the Codex tokens of `charts.palette(mode)` written as `fill`
and `stroke` attributes (so `charts.dark_mode_css()` recolours an inlined light chart), the root has
the class `hub-chart`, `role="img"`, `<title>` and `<desc>` named by `aria-labelledby`, and the PNG
download is this SVG converted by `charts.svg_to_png`. Every text that comes from data (labels,
titles of partnerships) is escaped.
"""

import math
from html import escape

from django.utils.translation import gettext as _

from hub.core import charts
from hub.mapping.figures import Figure, Mark, share_text
from hub.partnerships.models import Goal, Partnership

SIZE = 380  # the plot area is square
LEFT, TOP = 5, 38  # the plot area's corner; the title and subtitle sit above it
WIDTH, HEIGHT = SIZE + 2 * LEFT, SIZE + TOP + 5

# Positions on a 0..100 square (y up) of the goal circles, the seven regions' labels and the goals'
# names; "no goal" is written at y = -6, below the circles.
CIRCLES = {Goal.FUNDING: (36, 60), Goal.CONTENT: (64, 60), Goal.ADVOCACY: (50, 36)}
RADIUS = 22.15  # in the units above: 84 px
REGION_AT = {
    "funding": (24, 68),
    "content": (76, 68),
    "advocacy": (50, 22),
    "funding+content": (50, 71),
    "funding+advocacy": (35, 41),
    "content+advocacy": (65, 41),
    "funding+content+advocacy": (50, 53),
}
SET_LABEL_AT = {Goal.FUNDING: (22, 92), Goal.CONTENT: (78, 92), Goal.ADVOCACY: (50, 4)}
GOAL_Y_MIN = -10  # the goal diagram's vertical range is -10..100, so "no goal" fits below


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    return f"{share_text(value)}%" if value is not None else ""


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int,
    fill: str,
    bold: bool = False,
    anchor: str = "middle",
) -> str:
    """A text whose vertical middle is at y (as Vega's baseline "middle")."""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y + size * 0.33)}" text-anchor="{anchor}" '
        f'font-size="{size}px"{weight} fill="{fill}">{escape(content)}</text>'
    )


def _document(figure: Figure, mode: str, body: list[str], ident: str) -> str:
    """The SVG root with its accessible name and description, background, title and subtitle."""
    p = charts.palette(mode)
    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    subtitle = _("%(n)d partnerships") % {"n": figure.total}
    return "".join(
        [
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'version="1.1" class="hub-chart" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" font-family="{escape(charts.FONT)}">',
            f'<title id="{title_id}">{escape(figure.title)}</title>',
            f'<desc id="{desc_id}">{escape(figure.description)}</desc>',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{p.background}"/>',
            _text(LEFT, 12, figure.title, size=15, fill=p.text, bold=True, anchor="start"),
            _text(LEFT, 28, subtitle, size=12, fill=p.subtle, anchor="start"),
            f'<g transform="translate({LEFT},{TOP})">',
            *body,
            "</g></svg>",
        ]
    )


def goal_svg(figure: Figure, mode: str, ident: str) -> str:
    """Three overlapping circles, the count and share in each region, 'no goal' below."""
    p = charts.palette(mode)
    span = 100 - GOAL_Y_MIN

    def at(x: float, y: float) -> tuple[float, float]:
        return x * SIZE / 100, (100 - y) * SIZE / span

    radius = RADIUS * SIZE / 100
    body = []
    colours = dict(zip(Goal, p.categories[:3], strict=False))
    for goal in Goal:  # the fills first, so every outline stays visible over them
        cx, cy = at(*CIRCLES[goal])
        body.append(
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(radius)}" '
            f'fill="{colours[goal]}" fill-opacity="0.18"/>'
        )
    for goal in Goal:
        cx, cy = at(*CIRCLES[goal])
        body.append(
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(radius)}" fill="none" '
            f'stroke="{colours[goal]}" stroke-width="2"/>'
        )
    for row in figure.rows:
        if row.key not in REGION_AT:
            continue
        x, y = at(*REGION_AT[row.key])
        body.append(
            f'<g aria-label="{escape(row.label)}">'
            + _text(x, y, str(row.values[0]), size=14, fill=p.text, bold=True)
            + _text(x, y + 16, _pct(row.share), size=14, fill=p.text, bold=True)
            + "</g>"
        )
    for goal in Goal:
        x, y = at(*SET_LABEL_AT[goal])
        body.append(_text(x, y, str(goal.label), size=12, fill=p.text))
    none = next((row for row in figure.rows if row.key == "none"), None)
    if none is not None:
        x, y = at(0, -6)
        text = f"{none.label}: {none.values[0]} ({_pct(none.share)})"
        body.append(_text(x, y, text, size=12, fill=p.subtle, anchor="start"))
    return _document(figure, mode, body, ident)


def mark_positions(
    marks: list[Mark], structure: str, direction: str
) -> list[tuple[float, float, str, Mark]]:
    """Lay the partnerships of one quadrant out in columns under its count (0..2 square, y up)."""
    inside = [m for m in marks if m.structure == structure and m.direction == direction]
    if not inside:
        return []
    columns = 1 if len(inside) <= 10 else 2
    per_column = math.ceil(len(inside) / columns)
    left = 0.0 if structure == Partnership.Structure.SIMPLE else 1.0
    bottom = 0.0 if direction == Partnership.Direction.INTERNAL else 1.0
    top = bottom + 0.78
    step = min(0.07, 0.72 / per_column)
    limit = 30 if columns == 1 else 14
    out = []
    for i, mark in enumerate(inside):
        col, row = divmod(i, per_column)
        x = left + 0.05 + col * 0.48
        y = top - row * step
        title = mark.title if len(mark.title) <= limit else mark.title[: limit - 1] + "…"
        out.append((x, y, title, mark))
    return out


STRUCTURE_Y_MIN = -0.12  # the structure map's vertical range is -0.12..2: axis labels below


def structure_svg(figure: Figure, mode: str, ident: str) -> str:
    """Four quadrants (simple/complex across, internal below, external above) with counts."""
    p = charts.palette(mode)
    span = 2 - STRUCTURE_Y_MIN

    def at(x: float, y: float) -> tuple[float, float]:
        return x * SIZE / 2, (2 - y) * SIZE / span

    body = []
    texts = []
    for row in figure.rows:
        structure, direction = row.key.split("+")
        left = 0 if structure == Partnership.Structure.SIMPLE else 1
        bottom = 0 if direction == Partnership.Direction.INTERNAL else 1
        x0, y0 = at(left, bottom + 1)
        x1, y1 = at(left + 1, bottom)
        body.append(
            f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" '
            f'height="{_num(y1 - y0)}" fill="{p.fills[0]}" stroke="{p.border}" stroke-width="1"/>'
        )
        cx, cy = at(left + 0.5, bottom + 0.9)
        texts.append(
            f'<g aria-label="{escape(row.label)}">'
            + _text(cx, cy, f"{row.values[0]} ({_pct(row.share)})", size=15, fill=p.text, bold=True)
            + "</g>"
        )
    body += texts
    for across, label in (
        (0.5, Partnership.Structure.SIMPLE),
        (1.5, Partnership.Structure.COMPLEX),
    ):
        body.append(_text(*at(across, -0.06), str(label.label), size=12, fill=p.text, bold=True))
    for up, side in ((0.06, _("Internal")), (1.06, _("External"))):
        body.append(_text(*at(0.02, up), side, size=12, fill=p.subtle, bold=True, anchor="start"))
    for row in figure.rows if figure.marks else []:
        for x, y, title, mark in mark_positions(figure.marks or [], *row.key.split("+")):
            px, py = at(x, y)
            body.append(
                f'<a xlink:href="{escape(mark.url)}" aria-label="{escape(mark.title)}">'
                f'<circle cx="{_num(px)}" cy="{_num(py)}" r="2.7" fill="{p.accent}" '
                'fill-opacity="0.7"/>'
                + _text(px + 6, py, title, size=10, fill=p.accent, anchor="start")
                + "</a>"
            )
    return _document(figure, mode, body, ident)


DRAWERS = {"goals": goal_svg, "structure": structure_svg}
