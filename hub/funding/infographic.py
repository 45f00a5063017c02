"""The one-page infographic of a year's in-kind support: page, SVG, PNG and PDF.

The page and the downloads show the same figures (hub.funding.figures) and the same charts
(hub.core.charts). Numbers are formatted with Django's localization for the chosen language.
Every rendered output is kept in the figure cache (hub/core/figcache.py) under the figures' key,
so a repeated request costs one cache read.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import altair as alt
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hub.core import charts, figcache
from hub.funding.figures import CACHE_TIMEOUT, Figures

PAGE_WIDTH, PAGE_HEIGHT = 794, 1123  # A4 at 96 dpi
CHART_WIDTH = 300
EXTRA_SHOWN = 4  # outcome totals the one page has room for (the page lists them all)
# One font list for the page and its charts, named exactly: vl-convert measures each label in the
# first of these it finds and WeasyPrint draws it in the first fontconfig finds. With the theme's
# list ('Helvetica Neue' first) fontconfig substituted DejaVu Sans for labels measured in Liberation
# Sans, and the wider text was cut off at the chart's left edge in the PDF.
FONT = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"


def number(value: Decimal | int | None, places: int = 0) -> str:
    """A number in the active language's format, with grouping (1.234.567 in German)."""
    if value is None:
        return "–"
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def money(value: Decimal | None, currency: str) -> str:
    return "–" if value is None else f"{number(value)} {currency}"


def total_text(figures: Figures) -> str:
    if not figures.contributions:
        return _("No data for %(year)s") % {"year": figures.year}
    return money(figures.total, figures.currency)


def previous_text(figures: Figures) -> str:
    """The year before, in words: its total, or that there is no data for it."""
    if figures.previous_total is None and not figures.previous_error:
        return _("no data for %(year)s") % {"year": figures.year - 1}
    return _("%(previous)s the year before") % {
        "previous": money(figures.previous_total, figures.currency)
    }


def change_text(figures: Figures) -> str:
    if figures.change_percent is None:
        return "–"
    sign = "+" if figures.change_percent > 0 else ("−" if figures.change_percent < 0 else "±")
    return f"{sign}{number(abs(figures.change_percent), 1)} %"


def _bar_chart(rows: list[dict[str, Any]], *, label_limit: int = 170) -> Any:
    """A horizontal bar chart; labels longer than `label_limit` pixels end in an ellipsis."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=label_limit)),
        x=alt.X("value:Q", axis=None, scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("text:N")],
    )
    bars = base.mark_bar(height=16)
    labels = base.mark_text(align="left", dx=4, font=FONT).encode(text="text:N")
    return (
        (bars + labels)
        .properties(width=CHART_WIDTH, height=alt.Step(24))
        .configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
    )


def chart_svgs(figures: Figures) -> dict[str, str]:
    """Accessible SVG charts of value by category and top donors (empty when there is nothing)."""
    out: dict[str, str] = {}
    currency = figures.currency
    if figures.by_category:
        rows = [
            {"label": label, "value": float(value), "text": money(value, currency)}
            for _code, label, value in figures.by_category
        ]
        out["categories"] = charts.render_svg(
            # The categories are the hub's own words, whole in every language (the longest, German
            # "Lizenzierung von Inhalten oder Daten", is about 250 px); the page scales the chart.
            _bar_chart(rows, label_limit=280),
            title=_("Value by category"),
            description=", ".join(f"{r['label']}: {r['text']}" for r in rows),
        )
    if figures.top_donors:
        rows = [
            {"label": name[:60], "value": float(value), "text": money(value, currency)}
            for name, value in figures.top_donors
        ]
        out["donors"] = charts.render_svg(
            _bar_chart(rows),
            title=_("Top donors"),
            description=", ".join(f"{r['label']}: {r['text']}" for r in rows),
        )
    return out


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _size(svg: str) -> tuple[float, float]:
    match = _SIZE.search(svg)
    return (float(match.group(1)), float(match.group(2))) if match else (CHART_WIDTH, 200.0)


def context(figures: Figures) -> dict[str, Any]:
    """What the page, the SVG and the PDF templates show, formatted in the active language."""
    return {
        "figures": figures,
        "total": total_text(figures),
        "hours": number(figures.hours),
        "partners": number(figures.partners),
        "contributions": number(figures.contributions),
        "previous": previous_text(figures),
        "change": change_text(figures),
        "categories": [
            (label, money(value, figures.currency)) for _c, label, value in figures.by_category
        ],
        "donors": [(name, money(value, figures.currency)) for name, value in figures.top_donors],
        "by_currency": [(code, money(value, code)) for code, value in figures.by_currency],
        "confidential_included": figures.confidential_included,
        "extra": [(label, number(value), note) for label, value, note in figures.extra],
        "made_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "font": FONT,
    }


def one_page_svg(figures: Figures) -> str:
    """The infographic as one A4 page of SVG, charts nested in it."""
    parts = chart_svgs(figures)
    shown = context(figures)
    placed = []
    y = 470
    # Outcomes (hub/funding/extensions.py) take a band above the footer: the charts are shorter.
    chart_height = 180 if figures.extra else 260
    for key, heading in (("categories", _("Value by category")), ("donors", _("Top donors"))):
        svg = parts.get(key)
        if not svg:
            continue
        width, height = _size(svg)
        scale = min(1.0, (PAGE_WIDTH - 96) / width, chart_height / max(height, 1))
        # A label a little wider in print than measured still shows in the page's margin.
        svg = svg.replace("<svg ", '<svg overflow="visible" ', 1)
        placed.append({"heading": heading, "svg": svg, "y": y, "scale": f"{scale:.3f}", "x": 48})
        y += int(height * scale) + 70
    return render_to_string(
        "funding/infographic.svg",
        {
            **shown,
            "charts": placed,
            "extra_shown": [
                {**dict(zip(("label", "value", "note"), row, strict=True)), "x": 48 + 176 * i}
                for i, row in enumerate(shown["extra"][:EXTRA_SHOWN])
            ],
            "width": PAGE_WIDTH,
            "height": PAGE_HEIGHT,
        },
    )


def _cached(key: str, make):
    """What `make` returns, from the figure cache while the figures are unchanged."""
    return figcache.cached(key, make, CACHE_TIMEOUT)


def render(fmt: str, figures: Figures, *, key: str) -> bytes:
    """The infographic as SVG, PNG or PDF bytes, cached under `key` and the language."""
    language = translation.get_language() or "en"
    full_key = f"{key}:{fmt}:{language}"

    def svg() -> bytes:
        return one_page_svg(figures).encode()

    if fmt == "svg":
        return _cached(full_key, svg)
    if fmt == "png":
        import vl_convert

        return _cached(
            full_key,
            lambda: vl_convert.svg_to_png(_cached(f"{key}:svg:{language}", svg).decode(), scale=2),
        )
    if fmt == "pdf":
        return _cached(full_key, lambda: _pdf(_cached(f"{key}:svg:{language}", svg)))
    raise ValueError(fmt)


def print_document(svg: bytes):
    """The WeasyPrint document of the one-page SVG on an A4 page."""
    import base64

    from weasyprint import HTML

    html = render_to_string(
        "funding/infographic_print.html",
        {"src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode()},
    )
    return HTML(string=html).render()


def _pdf(svg: bytes) -> bytes:
    return print_document(svg).write_pdf()
