import csv
import io
import xml.etree.ElementTree as ET

import altair as alt
import pytest
import vl_convert
from django.core.cache import cache

from hub.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own renderer's output, not untrusted input)


def bar_chart(rows):
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x=alt.X("label:N", sort=None), y="count:Q")
        .properties(width=200, height=120)
    )


ROWS = [{"label": "Museums", "count": 3}, {"label": "Libraries", "count": 5}]


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


def test_svg_is_accessible_with_title_description_and_marks():
    svg = charts.render_svg(bar_chart(ROWS), title="By type", description="Museums 3, libraries 5")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "By type. Museums 3, libraries 5"
    assert root.find(f"{SVG}title").text == "By type"
    assert root.find(f"{SVG}desc").text == "Museums 3, libraries 5"
    bars = [el.get("aria-label") for el in root.iter() if el.get("aria-roledescription") == "bar"]
    assert bars == ["label: Museums; count: 3", "label: Libraries; count: 5"]


def test_title_text_is_escaped():
    svg = charts.render_svg(bar_chart(ROWS), title='A <b>"bold"</b> & title')
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'A <b>"bold"</b> & title'


def test_light_and_dark_use_codex_colours():
    light = charts.render_svg(bar_chart(ROWS), mode="light")
    dark = charts.render_svg(bar_chart(ROWS), mode="dark")
    assert charts.PALETTES["light"].background in light
    assert charts.PALETTES["light"].accent in light
    assert charts.PALETTES["dark"].background in dark
    assert charts.PALETTES["dark"].accent in dark
    assert charts.PALETTES["dark"].background not in light


def test_palettes_match_the_vendored_tokens():
    """The hard-coded colours must be the Codex tokens, so a token upgrade shows up here."""
    import re
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "static/vendor/codex-design-tokens-2.7.0"

    def tokens(name):
        text = (folder / name).read_text()
        return {k: v.lower() for k, v in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]+)", text)}

    def full(hex_):
        hex_ = hex_.lower()
        return "#" + "".join(c * 2 for c in hex_[1:]) if len(hex_) == 4 else hex_

    light = {k: full(v) for k, v in tokens("theme-wikimedia-ui-root.css").items()}
    dark = {**light, **{k: full(v) for k, v in tokens("theme-wikimedia-ui-mode-dark.css").items()}}
    for mode, values in (("light", light), ("dark", dark)):
        p = charts.PALETTES[mode]
        assert p.text == values["color-base"]
        assert p.background == values["background-color-base"]
        assert p.accent == values["color-progressive"]
        assert p.grid == values["border-color-muted"]
        assert p.categories[0] == values["color-option-blue"]
        assert p.fills[0] == values["background-color-option-blue"]


def test_png_is_a_png_and_scale_changes_its_size():
    small = charts.render_png(bar_chart(ROWS), scale=1)
    big = charts.render_png(bar_chart(ROWS), scale=2)
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    width_small = int.from_bytes(small[16:20], "big")
    width_big = int.from_bytes(big[16:20], "big")
    assert width_big == 2 * width_small


def test_repeated_render_comes_from_the_cache(monkeypatch):
    calls = []
    real = vl_convert.vegalite_to_svg

    def counting(spec, *args, **kwargs):
        calls.append(spec)
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(charts.vl_convert, "vegalite_to_svg", counting)
    first = charts.render_svg(bar_chart(ROWS), title="t")
    second = charts.render_svg(bar_chart(ROWS), title="t")
    assert first == second
    assert len(calls) == 1
    # other data is another chart: rendered again, never served from the old entry
    changed = charts.render_svg(bar_chart([{"label": "Museums", "count": 4}]), title="t")
    assert len(calls) == 2
    assert changed != first


def test_ids_are_prefixed_so_two_charts_can_share_a_page():
    chart = bar_chart(ROWS).mark_bar(clip=True)
    svg = charts.render_svg(chart)
    root = parse(svg)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert ids
    for id_ in ids:
        assert id_ != "clip1"
        assert f"url(#{id_})" in svg


def test_rows_to_csv_round_trips_and_defuses_formulas():
    text = charts.rows_to_csv(
        ["name", "count"], [['Museum, "big"', 3], ["=HYPERLINK(1)", 4], ["-5", -5]]
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["name", "count"],
        ['Museum, "big"', "3"],
        ["'=HYPERLINK(1)", "4"],
        ["'-5", "-5"],
    ]


def test_theme_config_is_merged_under_the_charts_own_config():
    chart = bar_chart(ROWS).configure_bar(color="#123456")
    svg = charts.render_svg(chart)
    assert "#123456" in svg
    assert charts.PALETTES["light"].background in svg


def test_relative_links_stay_relative():
    rows = [{"x": 1, "t": "One", "u": "/partnerships/1/"}]
    chart = alt.Chart(alt.Data(values=rows)).mark_text().encode(x="x:Q", text="t:N", href="u:N")
    svg = charts.render_svg(chart)
    assert 'xlink:href="/partnerships/1/"' in svg
    assert "vega.github.io" not in svg


def test_a_mark_without_data_has_no_unnamed_role():
    # A layer with no rows is an empty <g role="graphics-symbol"> from Vega: a role with no name,
    # which screen readers announce as an unlabelled image (axe: svg-img-alt).
    empty = alt.Chart(alt.Data(values=[])).mark_point().encode(x="label:N", y="count:Q")
    svg = charts.render_svg(alt.layer(bar_chart(ROWS), empty), title="By type")
    unnamed = [
        el.get("class")
        for el in parse(svg).iter()
        if (el.get("role") or "").startswith("graphics-")
        and not el.get("aria-label")
        and not len(el)
    ]
    assert unnamed == []
