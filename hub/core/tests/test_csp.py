"""The Content-Security-Policy: on every response of every URL of the permission matrix, and no page
that carries what the policy refuses (inline scripts, on* handlers, inline styles)."""

from html.parser import HTMLParser
from typing import cast

import pytest
from django.conf import settings
from django.utils.csp import build_policy

from hub.core.tests.test_permission_matrix import CASES, world  # noqa: F401 - world is a fixture

POLICY = build_policy(cast("dict[str, list[str]]", settings.SECURE_CSP))
# Only data blocks may be inline: a browser never runs them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    """What a page holds that the policy would refuse to run or apply."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name.startswith("hx-on") or (name == "hx-vals" and "js:" in (value or "")):
                self.found.append(f"<{tag} {name}={value!r}> (needs eval)")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._script = (
                "" if "src" not in named and named.get("type") not in DATA_SCRIPT_TYPES else None
            )

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.found.append(f"<script>{self._script[:60]}")
            self._script = None


def test_the_policy_is_strict():
    directives = dict(part.split(" ", 1) for part in POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in POLICY


GETS = sorted(name for name, case in CASES.items() if case.method == "get")
# Pages other sites may frame, with the same policy otherwise: the reconciliation service's
# preview, which OpenRefine shows in an iframe.
FRAMED = {"reconcile:preview"}
FRAMED_POLICY = POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")


@pytest.mark.parametrize("persona", ["anonymous", "staff"])
@pytest.mark.parametrize("name", GETS)
def test_every_page_sends_the_policy_and_holds_nothing_it_refuses(name, persona, world, client_for):  # noqa: F811
    case = CASES[name]
    response = client_for(world.users[persona]).get(
        case.url(world), **({"headers": case.headers} if case.headers else {})
    )
    expected = FRAMED_POLICY if name in FRAMED else POLICY
    assert response.headers.get("Content-Security-Policy") == expected, name
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        finder = InlineFinder()
        finder.feed(response.content.decode())
        assert not finder.found, f"{name} as {persona}: {finder.found}"
