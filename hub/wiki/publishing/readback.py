"""Reading a published page back: what people changed on the wiki since the hub's last publish.

A partnership's page is compared field by field: the rows of its table (read with
`hub.core.tabular.wikitext`, i.e. mwparserfromhell) in the wikitext the hub published against the
rows on the wiki now, paired by their label. The fields that map cleanly back onto the record
(title, description, status, dates, links) can be taken back; the others are shown only. Other
pages are compared line by line (`line_diff`)."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hub.core.tabular.wikitext import read_tables
from hub.partnerships.models import Partnership

TAKEABLE = ("title", "description", "status", "start_date", "end_date", "links")
MAX_DIFF_LINES = 2000


@dataclass(frozen=True)
class Cell:
    text: str
    links: tuple[str, ...] = ()


@dataclass
class FieldChange:
    """One field whose value on the wiki differs from what the hub published. `value` is what
    taking it back would set (None when it cannot be taken back, `problem` says why)."""

    field: str
    label: str
    published: str
    wiki: str
    takeable: bool = False
    value: object = None
    problem: str = ""


def _rows(wikitext: str) -> dict[str, Cell] | None:
    tables = read_tables(wikitext)
    if not tables:
        return None
    rows: dict[str, Cell] = {}
    for index, row in enumerate(tables[0].rows):
        if len(row) < 2:
            continue
        links = tables[0].links[index][1] if index < len(tables[0].links) else ()
        rows.setdefault(row[0].strip(), Cell(row[1].strip(), tuple(links)))
    return rows


def _status(value: str) -> str | None:
    wanted = " ".join(value.split()).casefold()
    for code, _label in Partnership.Status.choices:
        if wanted == code:
            return code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Partnership.Status.choices:
                if wanted == " ".join(str(label).split()).casefold():
                    return code
    return None


def _date(value: str) -> tuple[datetime.date | None, bool]:
    if not value.strip():
        return None, True
    try:
        return datetime.date.fromisoformat(value.strip()), True
    except ValueError:
        return None, False


def _value_of(name: str, cell: Cell) -> tuple[object, str]:
    """What the record's field would become, or a problem saying why it cannot."""
    if name == "status":
        code = _status(cell.text)
        if code is None:
            return None, _("'%(value)s' is not one of the hub's statuses.") % {
                "value": cell.text[:80]
            }
        return code, ""
    if name in ("start_date", "end_date"):
        day, ok = _date(cell.text)
        if not ok:
            return None, _("'%(value)s' is not a date written as YYYY-MM-DD.") % {
                "value": cell.text[:80]
            }
        return day, ""
    if name == "links":
        labels = [line.strip() for line in cell.text.split("\n") if line.strip()]
        if len(labels) != len(cell.links):
            return None, _("Each link must be one line with its address and label.")
        return list(zip(labels, cell.links, strict=True)), ""
    if name == "title" and not cell.text.strip():
        return None, _("A partnership needs a title.")
    return cell.text, ""


def partnership_changes(published: str, current: str) -> list[FieldChange] | None:
    """The fields changed on the wiki (None when the page no longer holds a table)."""
    from hub.wiki.publishing.wikitext import ROW_FIELDS

    before = _rows(published) or {}
    after = _rows(current)
    if after is None:
        return None
    changes = []
    labels = list(before)
    for index, label in enumerate(labels):
        name = ROW_FIELDS[index] if index < len(ROW_FIELDS) else ""
        old = before[label]
        new = after.get(label, Cell(""))
        if (old.text, old.links) == (new.text, new.links):
            continue
        change = FieldChange(name, label, old.text, new.text)
        if old.links != new.links:
            change.published = "\n".join(filter(None, [old.text, *old.links]))
            change.wiki = "\n".join(filter(None, [new.text, *new.links]))
        if name in TAKEABLE:
            change.value, change.problem = _value_of(name, new)
            change.takeable = not change.problem
        changes.append(change)
    return changes


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: kind is "context", "removed", "added" or "hunk"."""

    kind: str
    text: str


def line_diff(old: str, new: str) -> list[DiffLine]:
    """`old` to `new` line by line with 3 lines of context, for a page that reads as a list
    (screen readers hear "removed"/"added", see templates/wiki/_diff.html)."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
        if len(lines) >= MAX_DIFF_LINES:
            break
    return lines
