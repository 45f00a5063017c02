"""Charts rendered on the server: an altair (Vega-Lite) chart in, accessible SVG or PNG out.

Every chart of the hub goes through this module, so a chart looks the same in a page, a download, an
infographic and a report, and needs no JavaScript in the browser.

    import altair as alt
    from hub.core import charts

    chart = alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="label:N", y="count:Q")
    svg = charts.render_svg(chart, title="Partnerships by status", description="...")
    png = charts.render_png(chart, title=..., description=..., scale=2)
    csv_text = charts.rows_to_csv(["status", "count"], [["active", 3], ...])

Colours come from the Codex design tokens (light and dark mode, see `PALETTES`): `theme_config(mode)`
returns the Vega-Lite `config` that is merged into every chart, and `palette(mode)` the raw colours for
charts that colour marks themselves. Rendered output is cached in Django's cache under a hash of the
whole specification (data included) and the output options, so a repeated view does not re-render and a
change in the data can never serve a stale chart.

Data goes in as plain dicts (`alt.Data(values=[...])`); no pandas.
"""

import csv
import functools
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import vl_convert
from django.core.cache import cache

from hub.core.formulas import safe_cell

Mode = Literal["light", "dark"]
MODES: tuple[Mode, ...] = ("light", "dark")

# Bump when the rendering or post-processing changes, so cached output from before is not reused.
RENDER_VERSION = "2"
CACHE_TIMEOUT = 60 * 60 * 24 * 7
FONT = "'Helvetica Neue', 'Helvetica', 'Arial', 'Liberation Sans', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Palette:
    """Colours of one mode, copied from the Codex design tokens 2.7.0 (the token name is beside it)."""

    background: str  # --background-color-base
    text: str  # --color-base
    subtle: str  # --color-subtle
    border: str  # --border-color-base
    grid: str  # --border-color-muted
    accent: str  # --color-progressive
    categories: tuple[str, ...]  # --color-option-* (blue, green, orange, purple, maroon, pink, ...)
    fills: tuple[str, ...]  # --background-color-option-* in the same order


PALETTES: dict[str, Palette] = {
    # static/vendor/codex-design-tokens-2.7.0/theme-wikimedia-ui-root.css
    "light": Palette(
        background="#ffffff",
        text="#202122",
        subtle="#54595d",
        border="#a2a9b1",
        grid="#dadde3",
        accent="#3366cc",
        categories=(
            "#3366cc",  # blue
            "#177860",  # green
            "#a95226",  # orange
            "#6a60b0",  # purple
            "#9f5555",  # maroon
            "#9b527f",  # pink
            "#1f7a39",  # lime
            "#886425",  # yellow
            "#bf3c2c",  # red
        ),
        fills=(
            "#e8eeff",
            "#dff2eb",
            "#ffead4",
            "#f0ecf6",
            "#f6ebeb",
            "#f5ebf2",
            "#e3f2e4",
            "#fdf2d5",
            "#ffe9e5",
        ),
    ),
    # static/vendor/codex-design-tokens-2.7.0/theme-wikimedia-ui-mode-dark.css
    "dark": Palette(
        background="#101418",
        text="#eaecf0",
        subtle="#a2a9b1",
        border="#72777d",
        grid="#404244",
        accent="#88a3e8",
        categories=(
            "#88a3e8",
            "#2cb491",
            "#f97f26",
            "#a799cd",
            "#c99391",
            "#c690b4",
            "#5db26c",
            "#ca982e",
            "#fd7865",
        ),
        fills=(
            "#233566",
            "#153d31",
            "#572c19",
            "#353262",
            "#512e2e",
            "#4e2c40",
            "#183f20",
            "#453217",
            "#612419",
        ),
    ),
}


def palette(mode: str = "light") -> Palette:
    """The Codex colours for `mode` ("light" or "dark"; anything else means light)."""
    return PALETTES.get(mode, PALETTES["light"])


def dark_mode_css(scope: str = ".hub-chart") -> str:
    """CSS that redraws charts rendered in light mode in the dark palette when the reader prefers it.

    Vega writes colours as `fill` and `stroke` attributes, which any CSS rule outranks, so one SVG
    inlined in a page serves both modes: each light colour is swapped for the dark colour of the same
    design token. Downloads are rendered in the mode asked for instead.
    """
    return _dark_mode_css(scope)


DARK_MODE_STYLESHEET = "hub/chart-dark-mode.css"


def dark_mode_stylesheet() -> str:
    """The text of static/hub/chart-dark-mode.css, which the mapping pages link: the page's CSP
    allows no inline <style>. A test checks that the file is this text; to write it again, run
    `DEBUG=1 .venv/bin/python -c "from hub.core import charts; print(charts.dark_mode_stylesheet(),
    end='')" > static/hub/chart-dark-mode.css`."""
    return (
        "/* Written by hub.core.charts.dark_mode_stylesheet() from the Codex palettes: do not edit. */\n"
        f"{dark_mode_css()}\n"
    )


@functools.cache
def _dark_mode_css(scope: str) -> str:
    light, dark = PALETTES["light"], PALETTES["dark"]
    swaps: dict[str, str] = {}
    for name in ("background", "text", "subtle", "border", "grid", "accent"):
        swaps.setdefault(getattr(light, name), getattr(dark, name))
    for old, new in [
        *zip(light.categories, dark.categories, strict=True),
        *zip(light.fills, dark.fills, strict=True),
    ]:
        swaps.setdefault(old, new)
    rules = " ".join(
        f'{scope} [{attr}="{old}"] {{ {attr}: {new}; }}'
        for old, new in swaps.items()
        for attr in ("fill", "stroke")
    )
    return f"@media (prefers-color-scheme: dark) {{ {rules} }}"


def theme_config(mode: str = "light") -> dict[str, Any]:
    """The Vega-Lite `config` block that makes a chart look like the rest of the hub in `mode`."""
    p = palette(mode)
    axis = {
        "labelColor": p.text,
        "titleColor": p.text,
        "domainColor": p.border,
        "tickColor": p.border,
        "gridColor": p.grid,
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "bold",
    }
    return {
        "background": p.background,
        "font": FONT,
        "view": {"stroke": None},
        "axis": axis,
        "legend": {
            "labelColor": p.text,
            "titleColor": p.text,
            "labelFontSize": 12,
            "titleFontSize": 12,
        },
        "header": {"labelColor": p.text, "titleColor": p.text},
        "title": {"color": p.text, "fontSize": 15, "anchor": "start", "font": FONT},
        "text": {"color": p.text, "fontSize": 12},
        "mark": {"color": p.accent},
        "bar": {"color": p.accent},
        "range": {"category": list(p.categories)},
        "aria": True,
    }


def _spec(chart: Any, mode: str, description: str) -> dict[str, Any]:
    """The chart's Vega-Lite dict with the hub's theme underneath its own config."""
    # Validation against the Vega-Lite schema costs more than rendering; vl-convert reports errors.
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    spec = dict(spec)
    spec["config"] = _merge(theme_config(mode), spec.get("config") or {})
    if description:
        spec["description"] = description
    return spec


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def cache_key(spec: dict[str, Any], kind: str, **options: Any) -> str:
    """A key for the rendered output of `spec`: a hash of the spec (data included) and options."""
    payload = json.dumps(
        {"spec": spec, "kind": kind, "options": options, "v": RENDER_VERSION},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return "chart:" + hashlib.sha256(payload.encode()).hexdigest()


_ID = re.compile(r'\bid="([^"]+)"')
# Vega writes a mark with no data as an empty element with a role and no name (axe: svg-img-alt).
_EMPTY_MARK = re.compile(r'<g ([^>]*?)role="graphics-[a-z]+"([^>]*?)/>')
# Vega resolves a relative `href` against the loader's default base; keep links relative instead.
_VEGA_BASE = 'xlink:href="https://vega.github.io/vega-datasets/'


def _accessible(svg: str, *, title: str, description: str, prefix: str) -> str:
    """Give the SVG an accessible name and description, and ids that are unique in a page."""
    svg = svg.replace(_VEGA_BASE, 'xlink:href="')
    svg = _EMPTY_MARK.sub(r'<g \1aria-hidden="true"\2/>', svg)
    for old in set(_ID.findall(svg)):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})").replace(f'"#{old}"', f'"#{new}"')
    label = html.escape(". ".join(part for part in (title, description) if part), quote=True)
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        raise ValueError("the renderer did not return an SVG document")
    head = head.replace(' class="marks"', ' class="marks hub-chart"')
    opening = f'{head} role="img" aria-label="{label}">'
    inner = f"<title>{html.escape(title)}</title>" if title else ""
    if description:
        inner += f"<desc>{html.escape(description)}</desc>"
    return opening + inner + rest


def render_svg(
    chart: Any,
    *,
    title: str = "",
    description: str = "",
    mode: str = "light",
    use_cache: bool = True,
) -> str:
    """Render `chart` (an altair chart or a Vega-Lite dict) to an accessible SVG document.

    The SVG has `role="img"`, an `aria-label` of title and description, and `<title>`/`<desc>`
    children; the marks keep Vega's own ARIA labels. `title` and `description` are plain text
    (translated by the caller); the chart's visible title is whatever the chart itself sets.
    Cached by the hash of the spec and options; pass `use_cache=False` when the caller caches the
    result under a key of its own (cheaper to compute from its data than building the chart).
    """
    spec = _spec(chart, mode, description)
    key = cache_key(spec, "svg", title=title, mode=mode)
    svg = cache.get(key) if use_cache else None
    if svg is None:
        raw = vl_convert.vegalite_to_svg(spec)
        svg = _accessible(raw, title=title, description=description, prefix=key[6:18])
        if use_cache:
            cache.set(key, svg, CACHE_TIMEOUT)
    return svg


def render_png(
    chart: Any,
    *,
    title: str = "",
    description: str = "",
    mode: str = "light",
    scale: float = 2,
    use_cache: bool = True,
) -> bytes:
    """Render `chart` to PNG bytes at `scale` times its size (2 suits print and high-DPI screens).

    Cached like `render_svg`.
    """
    spec = _spec(chart, mode, description)
    key = cache_key(spec, "png", title=title, mode=mode, scale=scale)
    png = cache.get(key) if use_cache else None
    if png is None:
        png = vl_convert.vegalite_to_png(spec, scale=scale)
        if use_cache:
            cache.set(key, png, CACHE_TIMEOUT)
    return png


def svg_to_png(svg: str, *, scale: float = 2) -> bytes:
    """PNG bytes of an SVG document the hub wrote itself, at `scale` times its size.

    For charts drawn as SVG directly rather than through Vega-Lite: the same renderer (vl-convert's
    resvg) and fonts draw the PNG, so no second renderer is needed. Not cached: callers cache.
    """
    return vl_convert.svg_to_png(svg, scale=scale)


def rows_to_csv(header: list[str], rows: list[list[Any]] | list[tuple[Any, ...]]) -> str:
    """CSV text (RFC 4180, CRLF line ends) of `header` and `rows`: the numbers behind a chart.

    Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
