"""The chart of how an alliance's scores moved: one line per assessor, the mean level of all
items (don't know left out) on each date, drawn by hub.core.charts from the timeline's rows, so
the chart shows exactly the numbers of the table beside it and of the CSV."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from hub.alliances.assessments.summary import TimelineRow
from hub.core import charts


def timeline_chart(rows: list[TimelineRow], mode: str = "light") -> Any:
    values: list[dict[str, Any]] = [
        {"date": row.assessed_on.isoformat(), "assessor": row.assessor, "mean": float(row.overall)}
        for row in rows
        if row.overall is not None
    ]
    p = charts.palette(mode)
    return (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=_("Date"), axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y(
                "mean:Q",
                title=_("Mean level"),
                scale=alt.Scale(domain=[1, 4]),
                axis=alt.Axis(values=[1, 2, 3, 4], format="d"),
            ),
            color=alt.Color(
                "assessor:N",
                title=_("Assessor"),
                scale=alt.Scale(range=list(p.categories)),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=420, height=220)
    )


def timeline_svg(rows: list[TimelineRow], alliance_name: str) -> str:
    """The chart as accessible SVG (empty when no assessment has a level yet)."""
    if not any(row.overall is not None for row in rows):
        return ""
    return charts.render_svg(
        timeline_chart(rows),
        title=_("How the scores of %(alliance)s moved") % {"alliance": alliance_name},
        description=_(
            "The mean level (1 to 4) each assessor gave on each date; the table below has "
            "the same numbers."
        ),
    )
