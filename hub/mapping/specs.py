"""The charts of a `Figure` as SVG and PNG.

The dashboard's charts are Vega-Lite (built with altair) rendered by hub.core.charts: each builder
takes the figure and the colour mode and returns an altair chart whose data are the figure's own
rows, so the chart shows exactly the numbers of the table and the CSV. The goal diagram and the
structure map have a fixed shape and are written as SVG directly by hub.mapping.drawing.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

import altair as alt
from django.core.cache import cache
from django.utils.translation import gettext as _

from hub.core import charts
from hub.mapping import drawing
from hub.mapping.figures import Figure

SPECS_VERSION = "3"  # bump when a builder below changes, so cached charts are drawn again


def _count_axis(title: str, largest: int) -> alt.Axis:
    """An axis of whole numbers: small counts get a tick per unit, never 0.5."""
    if largest <= 10:
        return alt.Axis(title=title, values=list(range(largest + 1)), format="d")
    return alt.Axis(title=title, format="d")


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


def _drawn_svg(figure: Figure, mode: str, key: str) -> str:
    """The SVG of a figure drawn by the hub itself; its ids are made unique from the cache key."""
    return drawing.DRAWERS[figure.name](figure, mode, "c" + key.rsplit(":", 1)[-1][:12])


def render_svgs(items: list[tuple[Figure, str]]) -> list[str]:
    """The SVGs of several (figure, mode) pairs.

    The goal diagram and the structure map are written directly (cheaper than a cache read);
    the other charts are rendered by vl-convert and read from the cache in one query.
    """
    keys = [figure_key(figure, "svg", mode) for figure, mode in items]
    drawn = {
        key: _drawn_svg(figure, mode, key)
        for key, (figure, mode) in zip(keys, items, strict=True)
        if figure.name in drawing.DRAWERS
    }
    rendered = [key for key in keys if key not in drawn]
    found = cache.get_many(rendered) if rendered else {}
    fresh = {}
    for key, (figure, mode) in zip(keys, items, strict=True):
        if key not in drawn and key not in found and key not in fresh:
            fresh[key] = charts.render_svg(
                _chart(figure, mode),
                title=figure.title,
                description=figure.description,
                mode=mode,
                use_cache=False,
            )
    if fresh:
        cache.set_many(fresh, charts.CACHE_TIMEOUT)
    return [drawn.get(key) or found.get(key) or fresh[key] for key in keys]


def render_svg(figure: Figure, mode: str = "light") -> str:
    return render_svgs([(figure, mode)])[0]


def render_png(figure: Figure, mode: str = "light", scale: float = 2) -> bytes:
    key = figure_key(figure, "png", mode, scale)
    png = cache.get(key)
    if png is None and figure.name in drawing.DRAWERS:
        png = charts.svg_to_png(_drawn_svg(figure, mode, key), scale=scale)
        cache.set(key, png, charts.CACHE_TIMEOUT)
    elif png is None:
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
