"""Filling wikitext templates: the same placeholders as the office templates, block markers on
lines of their own. Values are written so a wiki shows them as text: `&`, `<` and `>` as entities,
and any value holding wiki markup (brackets, braces, pipes, quotes, `=`, `*`, `#`, `:`, `;`, `~`,
`_`) inside <nowiki>; a value's line breaks become <br />."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from hub.lifecycle.documents.engine.syntax import (
    Checker,
    Schema,
    TemplateError,
    as_text,
    block_items,
    block_marker,
    lookup,
    tokens,
)

MARKUP = re.compile(r"[\[\]{}|'=*#:;~_]|^[ -]|https?://|//", re.MULTILINE)
MAX_CHARS = 1 << 20


def escape(value: str) -> str:
    return "<br />".join(
        f"<nowiki>{html.escape(line, quote=False)}</nowiki>"
        if MARKUP.search(line)
        else html.escape(line, quote=False)
        for line in value.split("\n")
    )


def _where(number: int) -> str:
    return _("line %(number)s") % {"number": number}


class WikitextTemplate:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_CHARS:
            raise TemplateError(_("The wikitext is longer than the hub accepts."))
        self.lines = text.replace("\r\n", "\n").split("\n")

    def check(self, schema: Schema) -> list[str]:
        checker = Checker(schema)
        for number, line in enumerate(self.lines, 1):
            if "{" in line:
                checker.check(line, _where(number))
        return checker.finish(_where(len(self.lines)))

    def render(self, values: Mapping[str, Any]) -> bytes:
        out: list[str] = []
        self._render(list(enumerate(self.lines, 1)), values, out)
        return "\n".join(out).encode()

    def _render(
        self, lines: list[tuple[int, str]], scope: Mapping[str, Any], out: list[str]
    ) -> None:
        index = 0
        while index < len(lines):
            number, line = lines[index]
            marker = block_marker(line, _where(number)) if "{%" in line else None
            if marker is None:
                out.append(self._fill(line, scope, number))
                index += 1
                continue
            if marker.kind == "end":
                raise TemplateError(_("A block is closed that is not open."), _where(number))
            depth, end = 0, None
            for position in range(index, len(lines)):
                inner_number, inner = lines[position]
                inner_marker = block_marker(inner, _where(inner_number)) if "{%" in inner else None
                if inner_marker is not None:
                    depth += -1 if inner_marker.kind == "end" else 1
                    if depth == 0:
                        end = position
                        break
            if end is None:
                raise TemplateError(_("A block is not closed."), _where(number))
            for item_scope in block_items(marker, scope):
                self._render(lines[index + 1 : end], item_scope, out)
            index = end + 1

    def _fill(self, line: str, scope: Mapping[str, Any], number: int) -> str:
        if "{" not in line:
            return line
        parts, last = [], 0
        for token in tokens(line, _where(number)):
            parts.append(line[last : token.start])
            parts.append(escape(as_text(lookup(scope, token.name))))
            last = token.end
        parts.append(line[last:])
        return "".join(parts)
