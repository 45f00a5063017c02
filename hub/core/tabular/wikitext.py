"""The tables of a wiki page's wikitext, read as a person sees them: text cells, and their links.

Use `read_tables(wikitext)` for every wikitable (`{| ... |}`) of a page, in page order, and
`hub.core.tabular.as_table(table, ...)` (in `table`, which reads this module) to hand one to an
import as the same `Table` a spreadsheet sheet gives; `open_table` reads a stored page (a
`.wikitext` file) that way, its tables offered as a workbook's sheets.
`write_wikitable(headers, rows)` writes the other way (plain texts, every character escaped); the
property test reads what it writes back as the same grid.

What a cell's text is, from its wikitext (parsed by mwparserfromhell, never by regular expressions):
- `[[Target|label]]` gives `label` (`[[Target]]` gives `Target`), and `Target` is kept as a link;
  category and file links show nothing, as on the wiki;
- `[https://x label]` gives `label` (a bare or unlabelled URL gives the URL), the URL kept as a link;
- a template gives the text of its first positional argument (`{{flag|Germany}}` -> `Germany`).
  This is a heuristic, not what the wiki renders: the hub cannot expand templates without asking
  the wiki, and for most templates seen in tables (flags, dates, sort keys aside) the first argument
  is the value a person reads. `{{!}}` gives `|`; parser functions and magic words (`{{#if:...}}`,
  `{{PAGENAME}}`) give nothing;
- bold and italics are stripped, `<ref>` and comments removed, `<br>` and list items start a new
  line, entities (`&amp;`) decoded, other tags give their text; a table inside a cell gives nothing;
- whitespace is collapsed within each line, as the wiki renders it.

Rows and columns: `|-` starts a row (cells before the first one form a row too), `!` cells are
header cells, `||` and `!!` separate cells on one line, `|+` is the caption, an attribute part
before a single `|` in a cell is left out, and a `rowspan`/`colspan` cell fills every place it
covers (like a merged spreadsheet cell). The header is the last of the rows at the top that hold
only header cells (a grouped heading above the real one is common), else the first row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import mwparserfromhell
from django.utils.translation import gettext as _
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from hub.core.tabular.files import Limits

# Links whose target is not shown as text on the page (an image, a category tag, another language)
_HIDDEN_LINK = re.compile(r"^\s*(file|image|category)\s*:", re.IGNORECASE)
_REMOVED_TAGS = {"ref", "references", "gallery", "math", "score", "timeline", "templatedata"}
_LINE_TAGS = {"br", "li", "p", "div", "dd", "dt", "tr"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MAX_ROWSPAN = 65_534  # what browsers honour


@dataclass(frozen=True)
class Cell:
    """One cell as a person reads it, and where its links point (wiki titles and URLs)."""

    text: str
    links: tuple[str, ...] = ()


@dataclass
class WikiTable:
    """One wikitable of a page: `headers`, then `rows` of texts, and `links` parallel to `rows`.

    `number` counts the page's tables from 1; `header_row` and `first_row` count the table's rows
    from 1 as written (the header row's number, the first data row's), so a problem can name a
    row where the person will find it.
    """

    number: int
    caption: str
    headers: list[str]
    rows: list[list[str]]
    links: list[list[tuple[str, ...]]] = field(default_factory=list)
    header_links: list[tuple[str, ...]] = field(default_factory=list)
    header_row: int = 1

    @property
    def name(self) -> str:
        """What to call the table where a workbook names its sheet: its caption, else its number."""
        return self.caption or _("Table %(number)s") % {"number": self.number}

    def row_number(self, index: int) -> int:
        """The row number (from 1, as written) of `rows[index]`."""
        return self.header_row + 1 + index


class _Text:
    """Collects a cell's text as lines of words, and its links."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def newline(self) -> None:
        self.parts.append("\n")

    def link(self, target: str) -> None:
        target = " ".join(target.split())
        if target and target not in self.links:
            self.links.append(target)

    def cell(self) -> Cell:
        lines = []
        for line in "".join(self.parts).split("\n"):
            line = _SPACES.sub(" ", line).strip()
            if line:
                lines.append(line)
        return Cell("\n".join(lines), tuple(self.links))


def _walk(code: Wikicode | None, out: _Text) -> None:
    if code is None:
        return
    for node in code.nodes:
        _node(node, out)


def _plain(code: Wikicode | None) -> str:
    out = _Text()
    _walk(code, out)
    return out.cell().text.replace("\n", " ")


def _node(node: Node, out: _Text) -> None:
    if isinstance(node, Text):
        out.add(node.value.replace("\n", " "))
    elif isinstance(node, HTMLEntity):
        out.add(node.normalize())
    elif isinstance(node, Wikilink):
        title = str(node.title).strip()
        if _HIDDEN_LINK.match(title):
            return
        target = title.removeprefix(":").split("#")[0].strip() or title
        out.link(target)
        if node.text is not None:
            _walk(node.text, out)
        else:
            out.add(title.removeprefix(":"))
    elif isinstance(node, ExternalLink):
        url = str(node.url).strip()
        out.link(url)
        label = _plain(node.title) if node.title is not None else ""
        out.add(label or url)
    elif isinstance(node, Template):
        name = str(node.name).strip()
        if name == "!":
            out.add("|")
            return
        if name.startswith("#") or ":" in name or name.isupper():
            return  # a parser function or magic word: its result needs the wiki
        positional = [p for p in node.params if not p.showkey]
        if positional:
            _walk(positional[0].value, out)
    elif isinstance(node, Tag):
        tag = str(node.tag).strip().lower()
        if tag in _REMOVED_TAGS or tag == "table":
            return
        if tag in _LINE_TAGS:
            out.newline()
        if node.contents is not None and not node.self_closing:
            _walk(node.contents, out)
        if tag in _LINE_TAGS and tag != "br":
            out.newline()
    elif isinstance(node, Argument):
        _walk(node.default, out)
    elif isinstance(node, Heading):
        out.newline()
        _walk(node.title, out)
        out.newline()
    elif isinstance(node, Comment):
        return


def _span(tag: Tag, name: str, limit: int) -> int:
    if not tag.has(name):
        return 1
    digits = re.match(r"\s*(\d+)", str(tag.get(name).value))
    if not digits:
        return 1
    return max(1, min(int(digits.group(1)), limit))


@dataclass
class _RawCell:
    cell: Cell
    header: bool
    rowspan: int
    colspan: int


def _cells_of(row: Sequence[Node], limits: Limits) -> list[_RawCell]:
    cells = []
    for node in row:
        if not isinstance(node, Tag) or str(node.tag).lower() not in ("td", "th"):
            continue
        out = _Text()
        _walk(node.contents, out)
        cells.append(
            _RawCell(
                out.cell(),
                str(node.tag).lower() == "th",
                _span(node, "rowspan", _MAX_ROWSPAN),
                _span(node, "colspan", limits.max_columns),
            )
        )
    return cells


def _rows_of(table: Tag, limits: Limits) -> tuple[str, list[list[_RawCell]]]:
    """The caption and the rows of cells of one `{| |}` tag, spans not yet filled."""
    caption = ""
    rows: list[list[_RawCell]] = []
    loose: list[Node] = []  # cells before the first |-
    for node in table.contents.nodes if table.contents is not None else ():
        if not isinstance(node, Tag):
            continue
        tag = str(node.tag).lower()
        if tag == "tr":
            if loose:
                rows.append(_cells_of(loose, limits))
                loose = []
            rows.append(_cells_of(node.contents.nodes if node.contents else [], limits))
        elif tag in ("td", "th"):
            text = str(node.contents) if node.contents is not None else ""
            if tag == "td" and node.wiki_markup == "|" and text.startswith("+") and not rows:
                caption = _plain(mwparserfromhell.parse(text[1:]))
                continue
            loose.append(node)
        elif tag == "caption":
            caption = _plain(node.contents)
    if loose:
        rows.append(_cells_of(loose, limits))
    return caption, [row for row in rows if row]


def _filled(rows: list[list[_RawCell]], limits: Limits) -> list[list[tuple[Cell, bool]]]:
    """Every row as the grid a browser lays out: a spanning cell repeated in each place it covers."""
    grid: list[list[tuple[Cell, bool]]] = []
    pending: dict[tuple[int, int], tuple[Cell, bool]] = {}  # (row, column) taken by a rowspan
    for r, row in enumerate(rows):
        line: list[tuple[Cell, bool]] = []
        queue = list(row)
        while queue or (r, len(line)) in pending:
            start = len(line)
            if (r, start) in pending:
                line.append(pending.pop((r, start)))
                continue
            raw = queue.pop(0)
            for column in range(start, min(start + raw.colspan, limits.max_columns)):
                line.append((raw.cell, raw.header))
                for below in range(r + 1, min(r + raw.rowspan, len(rows))):
                    pending.setdefault((below, column), (raw.cell, raw.header))
            if len(line) >= limits.max_columns:
                break
        grid.append(line)
    return grid


def _table_of(number: int, tag: Tag, limits: Limits) -> WikiTable:
    caption, raw_rows = _rows_of(tag, limits)
    grid = _filled(raw_rows, limits)
    header_index = 0
    while (
        header_index + 1 < len(grid)
        and grid[header_index + 1]
        and all(header for _cell, header in grid[header_index + 1])
    ):
        if not all(header for _cell, header in grid[header_index]):
            break
        header_index += 1
    header = grid[header_index] if grid else []
    body = grid[header_index + 1 :]
    return WikiTable(
        number=number,
        caption=caption,
        headers=[cell.text.replace("\n", " ") for cell, _h in header],
        rows=[[cell.text for cell, _h in row] for row in body],
        links=[[cell.links for cell, _h in row] for row in body],
        header_links=[cell.links for cell, _h in header],
        header_row=header_index + 1,
    )


def read_tables(wikitext: str, *, limits: Limits | None = None) -> list[WikiTable]:
    """Every wikitable of `wikitext`, in page order (a table inside a table's cell is left out:
    its text is not a cell value). A page with no table gives an empty list."""
    limits = limits or Limits()
    code = mwparserfromhell.parse(wikitext)
    return [
        _table_of(number, tag, limits) for number, tag in enumerate(_outer_tables(code), start=1)
    ]


def _outer_tables(code: Wikicode) -> Iterator[Tag]:
    """The `{| |}` tables of `code` in page order, not looking inside any table (wiki or HTML):
    one walk over the tree, where asking each table for its ancestors took time growing with the
    square of the page's tables (minutes for a page of thousands). A stack, not recursion: the
    parser nests templates and links deeper than tables."""
    stack: list[Iterator[Node]] = [iter(code.nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if isinstance(node, Tag) and str(node.tag).strip().lower() == "table":
            if node.wiki_markup == "{|":
                yield node
            continue
        children = [child.nodes for child in node.__children__()]
        stack.extend(iter(nodes) for nodes in reversed(children))


def _escaped(text: str) -> str:
    """`text` as wikitext that shows exactly it: every character but letters, digits and single
    spaces as a numeric entity, line breaks as <br />."""
    lines = []
    for line in text.split("\n"):
        lines.append(
            "".join(
                ch if (ch.isalnum() and ch.isascii()) or ch == " " else f"&#{ord(ch)};"
                for ch in line
            )
        )
    return "<br />".join(lines)


def write_wikitable(
    headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = ""
) -> str:
    """A wikitable of plain texts (header cells with `!` and `!!`, data cells with `|` and `||`)
    that `read_tables` reads back as the same grid."""
    lines = ['{| class="wikitable"']
    if caption:
        lines.append("|+ " + _escaped(caption))
    lines.append("! " + " !! ".join(_escaped(h) for h in headers))
    for row in rows:
        lines.append("|-")
        lines.append("| " + " || ".join(_escaped(v) for v in row))
    lines.append("|}")
    return "\n".join(lines) + "\n"


__all__ = ["Cell", "WikiTable", "read_tables", "write_wikitable"]
