"""Every page of the hub in a real browser, in English and Arabic, light and dark, on a laptop
(1,366 px) and a phone (360 px): no serious or critical axe-core violation, nothing wider than the
window, no chart text drawn under 10 px, and no chart laid out right to left.

The pages are the permission matrix's: every GET URL that answers a whole HTML page to one of its
personas, so a new page is checked as soon as it has a matrix entry. Each page is loaded once per
language; the colour scheme and the window width change in place (media queries re-apply), which
keeps the run to a few minutes.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hub.core.testing.matrix import PERSONAS, all_cases, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
# The persona each page is seen as: the first of these the matrix lets in.
VIEWERS = ("manager", "staff", *PERSONAS)
# Swagger UI's own page (django-ninja's, English only, its own stylesheet): not the hub's layout.
NOT_OURS = {"api:openapi-view"}
SCHEMES = ("light", "dark")
WIDTHS = (1366, 360)

# Wait for the page to settle after a change of scheme or width: transitions (Codex's buttons fade
# their colours) run out, and hub.js has had its frame to mark the boxes that now scroll.
SETTLE = """async () => {
  const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime < Infinity);
  await Promise.race([
    Promise.all(finite.map((a) => a.finished.catch(() => null))),
    new Promise((done) => setTimeout(done, 1000)),
  ]);
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""
# What sticks out: the widest elements that end past the window's edge, on either side.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [...document.querySelectorAll("body *")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  });
  return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`].concat(
    out.slice(0, 4).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${(e.textContent || "").trim().slice(0, 40)}`.slice(0, 120)));
}"""


# Chart texts smaller than this on screen are not legible (a 390 px chart squeezed into a phone's
# 300 px drew its labels at 7 px).
SMALLEST_TEXT_PX = 10
SMALL_TEXTS = """(smallest) => [...document.querySelectorAll("main svg text")].flatMap((text) => {
  const matrix = text.getScreenCTM();
  const size = matrix && Math.hypot(matrix.a, matrix.b) * parseFloat(getComputedStyle(text).fontSize);
  return size && size < smallest - 0.05 ? [`chart text at ${size.toFixed(1)} px: ${text.textContent.slice(0, 30)}`] : [];
}).slice(0, 3)"""


# A chart is drawn left to right: its SVG must not inherit a right-to-left page's direction.
FLIPPED_CHARTS = """() => [...document.querySelectorAll("main svg")]
  .filter((svg) => getComputedStyle(svg).direction !== "ltr")
  .map((svg) => `chart laid out right to left: ${svg.getAttribute("aria-label") || svg.id}`.slice(0, 80))"""


def html_pages(world) -> dict[str, list[str]]:
    """Paths by persona: every GET of the matrix that answers a whole page of HTML."""
    pages: dict[str, list[str]] = {}
    for name, case in sorted(all_cases().items()):
        persona = next((p for p in VIEWERS if 200 in case.expected(p)), None)
        if case.method != "get" or persona is None or name in NOT_OURS:
            continue
        client = Client()
        if world.users[persona] is not None:
            client.force_login(world.users[persona])
        url = case.url(world)
        response = client.get(url, headers=case.headers)
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and b"</html>" in response.content
        ):
            pages.setdefault(persona, []).append(url)
    return pages


def session_cookies(user, base_url: str, language: str) -> list[dict]:
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url})
    return cookies


def check(page, path: str) -> list[str]:
    """Problems of the page as loaded, in every scheme and width."""
    problems = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.evaluate(SETTLE)
            where = f"{path} {scheme} {width}px"
            problems += [f"{where}: {p}" for p in page.evaluate(OVERFLOW)]
            problems += [f"{where}: {p}" for p in page.evaluate(SMALL_TEXTS, SMALLEST_TEXT_PX)]
            problems += [f"{where}: {p}" for p in page.evaluate(RUN_AXE)]
    return problems


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_is_accessible_and_fits_the_window(browser, live_server, language):
    world = build_world()
    pages = html_pages(world)
    assert sum(map(len, pages.values())) > 30, pages
    problems = []
    for persona, paths in pages.items():
        context = browser.new_context(base_url=live_server.url)
        context.add_init_script(path=AXE)
        context.add_cookies(session_cookies(world.users[persona], live_server.url, language))
        page = context.new_page()
        for path in paths:
            page.goto(path)
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr"), path
            problems += [f"{persona} {path}: {p}" for p in page.evaluate(FLIPPED_CHARTS)]
            problems += check(page, f"{persona} {path}")
        context.close()
    assert problems == [], "\n".join(problems)


CHEVRON = """() => [...document.querySelectorAll("select.cdx-select")].map((select) => {
  const style = getComputedStyle(select);
  const fill = decodeURIComponent(style.backgroundImage).match(/fill=[^#]{0,4}(#[0-9a-f]{6})/i);
  return [fill && fill[1], style.backgroundColor];
})"""


def _luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(values: list[int]) -> tuple[int, int, int]:
    return values[0], values[1], values[2]


def _contrast(hex_colour: str, css_rgb: str) -> float:
    fore = _rgb([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    back = _rgb([int(v) for v in css_rgb[css_rgb.index("(") + 1 : -1].split(",")[:3]])
    light, dark = sorted((_luminance(fore), _luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_select_chevrons_stand_out_in_both_schemes(browser_page, scheme):
    page = browser_page
    page.emulate_media(color_scheme=scheme)
    page.goto("/partnerships/")
    chevrons = page.evaluate(CHEVRON)
    assert len(chevrons) > 3
    # WCAG 1.4.11: a control's graphic needs 3:1 against what is behind it.
    assert [c for c in chevrons if not c[0] or _contrast(*c) < 3] == []
