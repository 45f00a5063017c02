"""The goal diagram and the structure map as the hub writes them: numbers, links, escaping, colours."""

import re
import struct
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.utils import translation

from hub.core import charts
from hub.mapping import drawing, figures
from hub.mapping.figures import Figure, Mark, Row
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db

NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
GOAL_KEYS = [
    "funding",
    "content",
    "advocacy",
    "funding+content",
    "funding+advocacy",
    "content+advocacy",
    "funding+content+advocacy",
    "none",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def parse(svg: str | bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{NS}text")]


def goal_figure() -> Figure:
    rows = [
        Row(key, f"<b>{key}</b> & co", [n], [None], round(100 * n / 28, 1))
        for n, key in enumerate(GOAL_KEYS)
    ]
    return Figure("goals", 'Goals "of" <partnerships>', "", "Goals", ["n"], rows, 28, None, True)


def structure_figure(marks: list[Mark] | None) -> Figure:
    keys = ["simple+internal", "complex+internal", "simple+external", "complex+external"]
    rows = [Row(key, key, [n + 1], [None], 25.0) for n, key in enumerate(keys)]
    return Figure("structure", "Structure", "", "S", ["n"], rows, 10, None, True, marks=marks)


def test_goal_diagram_writes_every_regions_count_and_share_and_escapes_labels():
    figure = goal_figure()
    svg = drawing.goal_svg(figure, "light", "g1")
    root = parse(svg)  # well-formed although every label holds markup characters
    assert "<b>" not in svg
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "g1-title g1-desc"
    assert root.find(f"{NS}title").text == 'Goals "of" <partnerships>'
    assert "<b>content</b> & co: 1 (3.6%)" in root.find(f"{NS}desc").text
    groups = {g.get("aria-label"): g for g in root.iter(f"{NS}g") if g.get("aria-label")}
    for row in figure.rows[:7]:
        shown = texts(groups[row.label])
        assert shown == [str(row.values[0]), f"{row.share:g}%"]
    none = figure.rows[7]
    assert f"{none.label}: 7 (25%)" in texts(root)
    assert len(list(root.iter(f"{NS}circle"))) == 6  # three fills, three outlines


def test_structure_map_links_each_mark_and_escapes_its_title():
    marks = [
        Mark('<script>alert("x")</script> & more', "/partnerships/99/", "simple", "internal"),
        *[
            Mark(f"Long title number {i:02d}", f"/partnerships/{i}/", "complex", "external")
            for i in range(12)
        ],
    ]
    svg = drawing.structure_svg(structure_figure(marks), "light", "s1")
    assert "<script" not in svg
    root = parse(svg)
    links = {a.get(XLINK): a for a in root.iter(f"{NS}a")}
    assert set(links) == {"/partnerships/99/", *(f"/partnerships/{i}/" for i in range(12))}
    assert links["/partnerships/99/"].get("aria-label") == marks[0].title
    # twelve marks in one quadrant go in two columns with shortened titles
    assert "Long title nu…" in texts(root)
    for quadrant in ("1 (25%)", "2 (25%)", "3 (25%)", "4 (25%)"):
        assert quadrant in texts(root)
    assert not list(
        parse(drawing.structure_svg(structure_figure(None), "light", "s2")).iter(f"{NS}a")
    )


def colours(svg: str) -> set[str]:
    return set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))


@pytest.mark.parametrize("draw", [drawing.goal_svg, drawing.structure_svg])
def test_colours_are_the_modes_codex_tokens_and_the_page_css_recolours_each(draw):
    figure = goal_figure() if draw is drawing.goal_svg else structure_figure([])
    light, dark = colours(draw(figure, "light", "a")), colours(draw(figure, "dark", "a"))
    css = charts.dark_mode_css()
    swaps = dict(re.findall(r'\[fill="(#[0-9a-f]{6})"\] \{ fill: (#[0-9a-f]{6}); \}', css))
    # the inline (light) chart in dark mode shows exactly the colours of the dark download
    assert {swaps[c] for c in light} == dark
    assert charts.palette("dark").background in dark


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(base: str, over: str, alpha: float) -> str:
    mixed = [
        round(int(base[i : i + 2], 16) * (1 - alpha) + int(over[i : i + 2], 16) * alpha)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{c:02x}" for c in mixed)


@pytest.mark.parametrize("mode", charts.MODES)
def test_text_contrast_meets_wcag_aa_on_what_is_behind_it(mode):
    p = charts.palette(mode)
    # the goal diagram's centre: the three translucent fills over the background
    centre = p.background
    for fill in p.categories[:3]:
        centre = blend(centre, fill, 0.18)
    goal_texts = {
        el.get("fill") for el in parse(drawing.goal_svg(goal_figure(), mode, "c")).iter(f"{NS}text")
    }
    for colour in goal_texts:
        assert contrast(colour, p.background) >= 4.5, (mode, colour)
    assert contrast(p.text, centre) >= 4.5
    marks = [Mark("A", "/partnerships/1/", "simple", "internal")]
    root = parse(drawing.structure_svg(structure_figure(marks), mode, "c"))
    for el in root.iter(f"{NS}text"):
        assert contrast(el.get("fill"), p.fills[0]) >= 4.5, (mode, el.text)


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", png[16:24])


def test_svg_and_png_downloads_draw_the_same_chart(client, affiliate):
    make_partnership(lead=affiliate, goals=["content"], title="Tom & Jerry <archive>")
    for name in ("goals", "structure"):
        for mode in charts.MODES:
            svg = client.get(f"/mapping/{name}.svg?mode={mode}").content.decode()
            root = parse(svg)
            assert charts.palette(mode).background in colours(svg)
            png = client.get(f"/mapping/{name}.png?mode={mode}").content
            # the PNG is the hub's SVG at twice its size
            assert png_size(png) == (2 * int(root.get("width")), 2 * int(root.get("height")))
    structure = client.get("/mapping/structure.svg").content.decode()
    assert "Tom &amp; Jerry &lt;archive&gt;" in structure


def test_shares_are_written_as_the_language_writes_numbers():
    with translation.override("de"):
        svg = drawing.goal_svg(goal_figure(), "light", "g1")
        summary = figures.share_text(12.5), figures.share_text(25.0)
    root = parse(svg)
    assert "<b>content</b> & co: 1 (3,6%)" in root.find(f"{NS}desc").text
    assert "3,6%" in texts(root)
    assert summary == ("12,5", "25")
