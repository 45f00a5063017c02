"""Vega-Lite charts (built with altair) drawn from a `Figure`; rendered by hub.core.charts.

Each builder takes the figure and the colour mode and returns an altair chart whose data are the
figure's own rows, so the chart shows exactly the numbers of the table and the CSV.
"""

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import altair as alt
from django.core.cache import cache
from django.utils.translation import gettext as _

from hub.core import charts
from hub.mapping.figures import Figure
from hub.partnerships.models import Goal, Partnership

SPECS_VERSION = "2"  # bump when a builder below changes, so cached charts are drawn again
SIZE = 380  # the goal diagram and the structure map are square


def _count_axis(title: str, largest: int) -> alt.Axis:
    """An axis of whole numbers: small counts get a tick per unit, never 0.5."""
    if largest <= 10:
        return alt.Axis(title=title, values=list(range(largest + 1)), format="d")
    return alt.Axis(title=title, format="d")


def _pct(value: float | None) -> str:
    return f"{value:g}%" if value is not None else ""


# Positions on a 0..100 square (y up) of the goal circles and of the seven regions' labels.
CIRCLES = {Goal.FUNDING: (36, 60), Goal.CONTENT: (64, 60), Goal.ADVOCACY: (50, 36)}
RADIUS = 25
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


def _axisless(field: str, domain: list[float], *, from_zero: bool = False) -> dict[str, Any]:
    """A position encoding with a fixed domain and no axis."""
    scale: dict[str, Any] = {"domain": domain, "nice": False}
    if not from_zero:
        scale["zero"] = False
    return {"field": field, "type": "quantitative", "axis": None, "scale": scale}


def _layer(values: list[dict[str, Any]], mark: dict[str, Any], **encoding: Any) -> dict[str, Any]:
    return {"data": {"values": values}, "mark": mark, "encoding": encoding}


# The goal diagram and the structure map are drawn on every cold mapping page: their Vega-Lite is
# written as plain dicts, which costs far less than assembling it through altair's objects.


def goal_chart(figure: Figure, mode: str) -> dict[str, Any]:
    """Three overlapping circles, the count and share in each region, 'no goal' below."""
    p = charts.palette(mode)
    goals = list(Goal)
    radius_px = RADIUS * SIZE / 100
    x, y = _axisless("x", [0, 100]), _axisless("y", [0, 100])
    circle_values = [{"x": CIRCLES[g][0], "y": CIRCLES[g][1], "goal": str(g.label)} for g in goals]
    colour = {
        "field": "goal",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": [str(g.label) for g in goals], "range": list(p.categories[:3])},
    }
    circle = {"type": "point", "shape": "circle", "size": math.pi * radius_px**2, "strokeWidth": 2}
    regions = [
        {
            "x": REGION_AT[row.key][0],
            "y": REGION_AT[row.key][1],
            "text": [str(row.values[0]), _pct(row.share)],
            "label": row.label,
        }
        for row in figure.rows
        if row.key in REGION_AT
    ]
    names = [
        {"x": SET_LABEL_AT[g][0], "y": SET_LABEL_AT[g][1], "text": str(g.label)} for g in goals
    ]
    none = next(row for row in figure.rows if row.key == "none")
    no_goal = [{"x": 0, "y": -6, "text": f"{none.label}: {none.values[0]} ({_pct(none.share)})"}]
    text = {"field": "text", "type": "nominal"}
    return {
        "$schema": alt.SCHEMA_URL,
        "layer": [
            _layer(
                circle_values,
                {**circle, "filled": True, "opacity": 0.18},
                x=x,
                y=y,
                color=colour,
            ),
            _layer(
                circle_values, {**circle, "filled": False, "opacity": 1}, x=x, y=y, color=colour
            ),
            _layer(
                regions,
                {
                    "type": "text",
                    "fontSize": 14,
                    "fontWeight": "bold",
                    "color": p.text,
                    "lineHeight": 16,
                },
                x=x,
                y=y,
                text=text,
            ),
            _layer(names, {"type": "text", "fontSize": 12, "color": p.text}, x=x, y=y, text=text),
            _layer(
                no_goal,
                {"type": "text", "fontSize": 12, "color": p.subtle, "align": "left"},
                x=x,
                y=_axisless("y", [-10, 100]),
                text=text,
            ),
        ],
        "width": SIZE,
        "height": SIZE,
        "title": {
            "text": figure.title,
            "subtitle": _("%(n)d partnerships") % {"n": figure.total},
            "subtitleColor": p.subtle,
        },
        "resolve": {"scale": {"y": "shared"}},
    }


def _mark_positions(marks, structure: str, direction: str) -> list[tuple[float, float, str, str]]:
    """Lay the partnerships of one quadrant out in columns under its count."""
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
        out.append((x, y, title, mark.url))
    return out


def structure_chart(figure: Figure, mode: str) -> dict[str, Any]:
    """Four quadrants (simple/complex across, internal below, external above) with counts."""
    p = charts.palette(mode)
    quads = []
    for row in figure.rows:
        structure, direction = row.key.split("+")
        x = 0 if structure == Partnership.Structure.SIMPLE else 1
        y = 0 if direction == Partnership.Direction.INTERNAL else 1
        quads.append(
            {
                "x": x,
                "x2": x + 1,
                "y": y,
                "y2": y + 1,
                "cx": x + 0.5,
                "cy": y + 0.9,
                "text": f"{row.values[0]} ({_pct(row.share)})",
                "label": row.label,
            }
        )

    def at(x_field: str, y_field: str) -> dict[str, Any]:
        return {
            "x": _axisless(x_field, [0, 2], from_zero=True),
            "y": _axisless(y_field, [-0.12, 2], from_zero=True),
        }

    text = {"field": "text", "type": "nominal"}
    axis_labels = [
        {"x": 0.5, "y": -0.06, "text": str(Partnership.Structure.SIMPLE.label)},
        {"x": 1.5, "y": -0.06, "text": str(Partnership.Structure.COMPLEX.label)},
    ]
    side = [
        {"x": 0.02, "y": 0.06, "text": _("Internal")},
        {"x": 0.02, "y": 1.06, "text": _("External")},
    ]
    layers = [
        _layer(
            quads,
            {
                "type": "rect",
                "stroke": p.border,
                "strokeWidth": 1,
                "fill": p.fills[0],
                "opacity": 1,
            },
            **at("x", "y"),
            x2={"field": "x2"},
            y2={"field": "y2"},
        ),
        _layer(
            quads,
            {"type": "text", "fontSize": 15, "fontWeight": "bold", "color": p.text},
            **at("cx", "cy"),
            text=text,
        ),
        _layer(
            axis_labels,
            {"type": "text", "fontSize": 12, "fontWeight": "bold", "color": p.text},
            **at("x", "y"),
            text=text,
        ),
        _layer(
            side,
            {
                "type": "text",
                "fontSize": 12,
                "fontWeight": "bold",
                "color": p.subtle,
                "align": "left",
            },
            **at("x", "y"),
            text=text,
        ),
    ]
    if figure.marks:
        points = [
            {"x": x, "y": y, "title": title, "url": url}
            for row in figure.rows
            for x, y, title, url in _mark_positions(figure.marks, *row.key.split("+"))
        ]
        layers += [
            _layer(
                points,
                {
                    "type": "point",
                    "filled": True,
                    "size": 30,
                    "color": p.accent,
                    "shape": "circle",
                },
                **at("x", "y"),
                href={"field": "url", "type": "nominal"},
                description={"field": "title", "type": "nominal"},
            ),
            _layer(
                points,
                {"type": "text", "align": "left", "dx": 6, "fontSize": 10, "color": p.accent},
                **at("x", "y"),
                text={"field": "title", "type": "nominal"},
                href={"field": "url", "type": "nominal"},
            ),
        ]
    return {
        "$schema": alt.SCHEMA_URL,
        "layer": layers,
        "width": SIZE,
        "height": SIZE,
        "title": {
            "text": figure.title,
            "subtitle": _("%(n)d partnerships") % {"n": figure.total},
            "subtitleColor": p.subtle,
        },
    }


def bar_chart(figure: Figure, mode: str, limit: int = 20) -> alt.TopLevelMixin:
    """Horizontal bars of the figure's first column, largest first as in the table."""
    p = charts.palette(mode)
    rows: list[dict[str, Any]] = [
        {"label": row.label, "n": row.values[0]} for row in figure.rows[:limit]
    ]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("n:Q", axis=_count_axis(figure.columns[0], max((r["n"] for r in rows), default=0))),
    )
    bars = base.mark_bar(color=p.accent)
    text = base.mark_text(align="left", dx=4, color=p.text).encode(text="n:Q")
    return alt.layer(bars, text).properties(
        width=360, height=max(40, 22 * len(rows)), title=figure.title
    )


def started_chart(figure: Figure, mode: str) -> alt.Chart:
    """Lines of partnerships started per year: all, and serving each goal."""
    values: list[dict[str, Any]] = [
        {"year": int(row.key), "series": column, "n": value}
        for row in figure.rows
        for column, value in zip(figure.columns, row.values, strict=True)
    ]
    p = charts.palette(mode)
    return (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=figure.label_header),
            y=alt.Y(
                "n:Q",
                axis=_count_axis(_("Partnerships"), max((v["n"] for v in values), default=0)),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=figure.columns, range=[p.text, *p.categories[:3]]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=420, height=220, title=figure.title)
    )


BUILDERS: dict[str, Callable[[Figure, str], Any]] = {
    "goals": goal_chart,
    "structure": structure_chart,
    "started": started_chart,
    "statuses": bar_chart,
    "kinds": bar_chart,
    "countries": bar_chart,
    "regions": bar_chart,
    "organizations": bar_chart,
}


def figure_key(figure: Figure, kind: str, mode: str, scale: float = 2) -> str:
    """The cache key of a figure's rendered chart: a hash of all its numbers, labels and marks."""
    return charts.cache_key(
        dataclasses.asdict(figure), f"figure-{kind}", mode=mode, scale=scale, v=SPECS_VERSION
    )


def _chart(figure: Figure, mode: str):
    return BUILDERS[figure.name](figure, mode)


def render_svgs(items: list[tuple[Figure, str]]) -> list[str]:
    """The SVGs of several (figure, mode) pairs, read from the cache in one query."""
    keys = [figure_key(figure, "svg", mode) for figure, mode in items]
    found = cache.get_many(keys)
    fresh = {}
    for key, (figure, mode) in zip(keys, items, strict=True):
        if key not in found and key not in fresh:
            fresh[key] = charts.render_svg(
                _chart(figure, mode),
                title=figure.title,
                description=figure.description,
                mode=mode,
                use_cache=False,
            )
    if fresh:
        cache.set_many(fresh, charts.CACHE_TIMEOUT)
    return [found.get(key) or fresh[key] for key in keys]


def render_svg(figure: Figure, mode: str = "light") -> str:
    return render_svgs([(figure, mode)])[0]


def render_png(figure: Figure, mode: str = "light", scale: float = 2) -> bytes:
    key = figure_key(figure, "png", mode, scale)
    png = cache.get(key)
    if png is None:
        png = charts.render_png(
            _chart(figure, mode),
            title=figure.title,
            description=figure.description,
            mode=mode,
            scale=scale,
            use_cache=False,
        )
        cache.set(key, png, charts.CACHE_TIMEOUT)
    return png
