"""The template language shared by ODT, DOCX and wikitext templates.

    {{ partner.name }}                      a value (dotted name, spaces inside the braces optional)
    {% for party in parties %} ... {% endfor %}   repeat what is between for each item of a list
    {% if agreement.end_date %} ... {% endif %}   keep what is between only when the value is not empty

A block marker stands alone in its paragraph (or, in a wikitext template, on its own line). In an
office document the marker paragraphs are removed and what lies between them is repeated: the
paragraphs, or the table rows when the markers sit in rows of their own. Every name must be known
(`Schema`): a template naming anything else is refused where it is named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

NAME = r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*"
TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
VALUE = re.compile(rf"\{{\{{\s*({NAME})\s*\}}\}}")
FOR = re.compile(rf"\{{%\s*for\s+([a-z_][a-z0-9_]*)\s+in\s+({NAME})\s*%\}}")
IF = re.compile(rf"\{{%\s*if\s+({NAME})\s*%\}}")
END = re.compile(r"\{%\s*(endfor|endif)\s*%\}")
OPENERS = ("{{", "{%")


class TemplateError(ValueError):
    """A template that cannot be filled: `where` names the place (a paragraph or a line)."""

    def __init__(self, message: str, where: str = "") -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Token:
    kind: str  # "value", "for", "if", "end"
    name: str  # the value's or list's name; for "end": "endfor" or "endif"
    text: str
    start: int
    end: int
    var: str = ""


def tokens(text: str, where: str) -> list[Token]:
    """The placeholders in `text`, in order; anything that opens like one and is not one is an error."""
    found: list[Token] = []
    last = 0
    for match in TOKEN.finditer(text):
        _check_stray(text[last : match.start()], where)
        last = match.end()
        raw = match.group(0)
        if m := VALUE.fullmatch(raw):
            found.append(Token("value", m.group(1), raw, match.start(), match.end()))
        elif m := FOR.fullmatch(raw):
            found.append(Token("for", m.group(2), raw, match.start(), match.end(), var=m.group(1)))
        elif m := IF.fullmatch(raw):
            found.append(Token("if", m.group(1), raw, match.start(), match.end()))
        elif m := END.fullmatch(raw):
            found.append(Token("end", m.group(1), raw, match.start(), match.end()))
        else:
            raise TemplateError(
                _("“%(text)s” is not a placeholder the hub knows.") % {"text": raw}, where
            )
    _check_stray(text[last:], where)
    return found


def _check_stray(text: str, where: str) -> None:
    for opener in OPENERS:
        if opener in text:
            raise TemplateError(
                _("“%(text)s” opens a placeholder that is never closed.") % {"text": opener}, where
            )


def block_marker(text: str, where: str) -> Token | None:
    """The block marker a paragraph or line consists of, or None; a marker beside other text is
    an error (it could not be removed cleanly)."""
    found = tokens(text, where)
    markers = [t for t in found if t.kind != "value"]
    if not markers:
        return None
    if len(found) > 1 or text.strip() != markers[0].text:
        raise TemplateError(
            _("“%(text)s” must stand alone in its paragraph or line.") % {"text": markers[0].text},
            where,
        )
    return markers[0]


@dataclass
class Schema:
    """The names a template may use: scalar values, and lists with the fields of their items."""

    scalars: frozenset[str]
    lists: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def all_names(self) -> list[str]:
        names = set(self.scalars)
        for name, fields in self.lists.items():
            names.add(name)
            names.update(f"{name}[].{f}" for f in fields)
        return sorted(names)


class Checker:
    """Walks a template's paragraphs or lines in order, checking names against the schema and the
    blocks' nesting; collects the names used."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.stack: list[tuple[str, str, str]] = []  # (kind, loop variable, list) per open block
        self.used: set[str] = set()

    def _loops(self) -> dict[str, str]:
        return {var: name for kind, var, name in self.stack if kind == "for"}

    def _known(self, name: str, where: str, *, condition: bool = False) -> None:
        head, _dot, rest = name.partition(".")
        loops = self._loops()
        if head in loops and rest in self.schema.lists[loops[head]]:
            self.used.add(f"{loops[head]}[].{rest}")
            return
        if name in self.schema.scalars or (condition and name in self.schema.lists):
            self.used.add(name)
            return
        raise TemplateError(_("The placeholder “%(name)s” is not known.") % {"name": name}, where)

    def check(self, text: str, where: str) -> None:
        marker = block_marker(text, where)
        if marker is None:
            for token in tokens(text, where):
                self._known(token.name, where)
        elif marker.kind == "for":
            if marker.name not in self.schema.lists:
                raise TemplateError(
                    _("“%(name)s” is not a list the hub knows.") % {"name": marker.name}, where
                )
            self.used.add(marker.name)
            self.stack.append(("for", marker.var, marker.name))
        elif marker.kind == "if":
            self._known(marker.name, where, condition=True)
            self.stack.append(("if", "", marker.name))
        else:
            expected = "endfor" if self.stack and self.stack[-1][0] == "for" else "endif"
            if not self.stack or marker.name != expected:
                raise TemplateError(
                    _("“%(text)s” closes a block that is not open.") % {"text": marker.text}, where
                )
            self.stack.pop()

    def finish(self, where: str) -> list[str]:
        if self.stack:
            kind, _var, name = self.stack[-1]
            raise TemplateError(
                _("The block “%(kind)s %(name)s” is never closed.") % {"kind": kind, "name": name},
                where,
            )
        return sorted(self.used)


def lookup(scope: Mapping[str, Any], name: str) -> Any:
    value: Any = scope
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        raise TemplateError(_("A list cannot be written as a value."))
    return clean_text(str(value))


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Characters XML cannot hold are dropped; line ends become "\n"."""
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def block_items(marker: Token, scope: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The scopes a block's body is rendered with: one per list item, or one (or none) for `if`."""
    value = lookup(scope, marker.name)
    if marker.kind == "for":
        return [{**scope, marker.var: item} for item in (value or [])]
    return [dict(scope)] if value not in (None, "", [], {}) else []
