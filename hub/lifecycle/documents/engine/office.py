"""Filling ODT and DOCX templates (the syntax is in syntax.py).

The XML is parsed by defusedxml (no DTD, no entities, nothing fetched) into a DOM whose prefixes and
namespace declarations are written back as they were; values go in as text nodes, so the serializer
escapes them (`Smith & <Sons>` stays text). A word processor often splits a placeholder over
several runs (`{{ part` in one span, `ner.name }}` in the next): each paragraph's text nodes are read
as one string, and a placeholder is replaced inside the first text node it touches (keeping that
run's formatting) while its rest is cut from the following ones.

Everything is filled in memory and the archive is written only when every part has been: a template
that fails yields an error, never a half-filled document. The archive is deterministic (the
template's entry order, fixed timestamps and permissions), so the same values give the same bytes.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from xml.dom import Node
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString
from django.utils.translation import gettext as _

from hub.lifecycle.documents.engine.syntax import (
    Checker,
    Schema,
    TemplateError,
    Token,
    as_text,
    block_items,
    block_marker,
    lookup,
    tokens,
)

# The DOM's nodes (xml.dom.minidom), typed loosely: the stubs' Node lacks most of their attributes.
DomNode = Any

ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# What the parts may hold once inflated: far past any real letter, short of a zip bomb.
MAX_PART_BYTES = 32 << 20
MAX_TOTAL_BYTES = 96 << 20


@dataclass(frozen=True)
class Dialect:
    format: str
    namespace: str
    paragraphs: tuple[str, ...]
    text_holder: str | None  # DOCX keeps text in w:t; ODT in the paragraph and its spans
    skip: tuple[str, ...]
    line_break: str
    spaces: tuple[str, ...]  # elements that stand for white space in the text (ODF's text:s)

    def parts(self, names: list[str]) -> list[str]:
        if self.format == "odt":
            return [n for n in ("content.xml", "styles.xml") if n in names]
        return [
            n
            for n in names
            if n == "word/document.xml"
            or (n.startswith(("word/header", "word/footer")) and n.endswith(".xml"))
            or n in ("word/footnotes.xml", "word/endnotes.xml")
        ]


ODT = Dialect(
    "odt",
    ODF_TEXT,
    ("p", "h"),
    None,
    ("note", "annotation", "tracked-changes"),
    "line-break",
    ("s", "tab"),
)
DOCX = Dialect("docx", WORD, ("p",), "t", ("instrText", "delText"), "br", ("tab",))
DIALECTS = {"odt": ODT, "docx": DOCX}


def _parse(data: bytes, part: str) -> DomNode:
    try:
        return parseString(data, forbid_dtd=True)
    except ExpatError as exc:
        raise TemplateError(
            _("The file is not well-formed XML (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.offset},
            part,
        ) from exc
    except (DefusedXmlException, ValueError) as exc:
        raise TemplateError(
            _("The file declares a DTD or entities, which are refused."), part
        ) from exc


def _paragraphs(root: DomNode, dialect: Dialect) -> list[DomNode]:
    found: list[DomNode] = []

    def walk(node: DomNode) -> None:
        for child in node.childNodes:
            if child.nodeType != Node.ELEMENT_NODE:
                continue
            if child.namespaceURI == dialect.namespace and child.localName in dialect.paragraphs:
                found.append(child)
            walk(child)

    walk(root)
    return found


@dataclass
class _Space:
    """An element that stands for white space (ODF's `<text:s text:c="3"/>`, a tab): part of the
    paragraph's text, removed when a placeholder covers it."""

    element: DomNode
    data: str


def _space(element: DomNode) -> _Space:
    if element.localName == "s":
        count = element.getAttributeNS(ODF_TEXT, "c")
        return _Space(element, " " * (int(count) if count.isdigit() and int(count) < 1000 else 1))
    return _Space(element, "\t")


def _segments(paragraph: DomNode, dialect: Dialect) -> list[Any]:
    """The paragraph's own text nodes (and white-space elements) in order, not those of a
    paragraph nested in it."""
    found: list[Any] = []

    def walk(node: DomNode, inside_holder: bool) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                if inside_holder:
                    found.append(child)
            elif child.nodeType == Node.ELEMENT_NODE:
                ours = child.namespaceURI == dialect.namespace
                if ours and (
                    child.localName in dialect.paragraphs or child.localName in dialect.skip
                ):
                    continue
                if ours and child.localName in dialect.spaces:
                    found.append(_space(child))
                    continue
                holder = inside_holder or (ours and child.localName == dialect.text_holder)
                walk(child, holder)

    walk(paragraph, dialect.text_holder is None)
    return found


def _text(paragraph: DomNode, dialect: Dialect) -> str:
    return "".join(s.data for s in _segments(paragraph, dialect))


def _where(part: str, number: int, text: str) -> str:
    excerpt = text.strip()
    if len(excerpt) > 60:
        excerpt = excerpt[:57] + "…"
    return _("%(part)s, paragraph %(number)s (“%(text)s”)") % {
        "part": part,
        "number": number,
        "text": excerpt,
    }


class OfficeTemplate:
    """An ODT or DOCX template read from its bytes (the archive's own checks are the upload's)."""

    def __init__(self, data: bytes, format: str) -> None:
        self.dialect = DIALECTS[format]
        self.entries: list[tuple[str, bytes]] = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                total = 0
                for info in archive.infolist():
                    if (
                        info.file_size > MAX_PART_BYTES
                        or (total := total + info.file_size) > MAX_TOTAL_BYTES
                    ):
                        raise TemplateError(_("The file unpacks to more than the hub accepts."))
                    self.entries.append((info.filename, archive.read(info)))
        # zipfile raises NotImplementedError for a compression method it cannot read (a file
        # written by an exotic packer): for the person, that is an unreadable document too.
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
            raise TemplateError(_("The file is not a readable ODT or DOCX document.")) from exc
        names = [name for name, _data in self.entries]
        self.part_names = self.dialect.parts(names)
        if not self.part_names:
            raise TemplateError(_("The file is not a readable ODT or DOCX document."))

    @functools.cached_property
    def parts(self) -> dict[str, DomNode]:
        """The parsed parts (read when checking: filling parses its own copy of each)."""
        return {name: _parse(blob, name) for name, blob in self.entries if name in self.part_names}

    def check(self, schema: Schema) -> list[str]:
        """The names the template uses; a TemplateError names the first mistake and where it is."""
        checker = Checker(schema)
        for name in self.part_names:
            for number, paragraph in enumerate(_paragraphs(self.parts[name], self.dialect), 1):
                text = _text(paragraph, self.dialect)
                if "{" in text:
                    checker.check(text, _where(name, number, text))
            checker.finish(name)
        return sorted(checker.used)

    def render(self, values: Mapping[str, Any]) -> bytes:
        """The filled document's bytes. The template is left as it was (parts are re-parsed)."""
        filled: dict[str, bytes] = {}
        blobs = dict(self.entries)
        for name in self.part_names:
            blob = blobs[name]
            if b"{" not in blob:
                continue  # no placeholder can be in it (not even one split across runs)
            document = _parse(blob, name)
            _Filler(self.dialect, name, document).fill(values)
            filled[name] = document.toxml(encoding="UTF-8")
        return self._archive(filled)

    def _archive(self, filled: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, blob in self.entries:
                if name.startswith("Thumbnails/") or name == "docProps/thumbnail.jpeg":
                    continue  # a picture of the unfilled template
                if name == "META-INF/manifest.xml":
                    blob = _without_thumbnail(blob)
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.create_system = 3
                info.external_attr = 0o644 << 16
                info.compress_type = (
                    zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                )
                archive.writestr(info, filled.get(name, blob))
        return out.getvalue()


def _without_thumbnail(blob: bytes) -> bytes:
    manifest = _parse(blob, "META-INF/manifest.xml")
    for entry in list(manifest.getElementsByTagNameNS(ODF_MANIFEST, "file-entry")):
        if entry.getAttributeNS(ODF_MANIFEST, "full-path").startswith("Thumbnails/"):
            entry.parentNode.removeChild(entry)
    return manifest.toxml(encoding="UTF-8")


class _Filler:
    def __init__(self, dialect: Dialect, part: str, document: DomNode) -> None:
        self.dialect = dialect
        self.part = part
        self.document = document
        # The scope each repeated paragraph is filled with (keyed by the node itself, not its id:
        # removed nodes are freed and their ids reused).
        self.scopes: dict[DomNode, Mapping[str, Any]] = {}

    def fill(self, values: Mapping[str, Any]) -> None:
        root = self.document.documentElement
        while self._expand_first_block(root, values):
            continue
        for number, paragraph in enumerate(_paragraphs(root, self.dialect), 1):
            self._fill_paragraph(paragraph, self.scopes.get(paragraph, values), number)

    def _markers(self, root: DomNode) -> Iterator[tuple[DomNode, Token]]:
        for number, paragraph in enumerate(_paragraphs(root, self.dialect), 1):
            text = _text(paragraph, self.dialect)
            if "{%" in text:
                marker = block_marker(text, _where(self.part, number, text))
                if marker is not None:
                    yield paragraph, marker

    def _expand_first_block(self, root: DomNode, values: Mapping[str, Any]) -> bool:
        markers = list(self._markers(root))
        if not markers:
            return False
        opening, marker = markers[0]
        if marker.kind == "end":
            raise TemplateError(_("A block is closed that is not open."), self.part)
        depth, closing = 0, None
        for paragraph, token in markers:
            depth += -1 if token.kind == "end" else 1
            if depth == 0:
                closing = paragraph
                break
        if closing is None:
            raise TemplateError(_("A block is not closed where it should be."), self.part)
        first, last = _siblings_under_common_parent(opening, closing)
        container = first.parentNode
        body: list[DomNode] = []
        node = first.nextSibling
        while node is not None and node is not last:
            body.append(node)
            node = node.nextSibling
        scope = self.scopes.get(opening, values)
        for item_scope in block_items(marker, scope):
            for original in body:
                clone = original.cloneNode(True)
                container.insertBefore(clone, last)
                originals = _paragraphs_including(original, self.dialect)
                clones = _paragraphs_including(clone, self.dialect)
                for copied in clones[: len(originals)]:
                    self.scopes[copied] = item_scope
        for node in [first, *body, last]:
            container.removeChild(node)
            node.unlink()
        return True

    def _fill_paragraph(self, paragraph: DomNode, scope: Mapping[str, Any], number: int) -> None:
        segments = _segments(paragraph, self.dialect)
        text = "".join(s.data for s in segments)
        if "{" not in text:
            return
        found = tokens(text, _where(self.part, number, text))
        if not found:
            return
        starts = []
        position = 0
        for segment in segments:
            starts.append(position)
            position += len(segment.data)
        pieces = [list(segment.data) for segment in segments]
        replacements: dict[int, list[tuple[int, str]]] = {}
        for token in found:
            if token.kind != "value":
                raise TemplateError(
                    _("A block marker was left over."), _where(self.part, number, text)
                )
            value = as_text(lookup(scope, token.name))
            for index, segment_start in enumerate(starts):
                segment_end = segment_start + len(segments[index].data)
                lo, hi = max(token.start, segment_start), min(token.end, segment_end)
                if lo >= hi:
                    continue
                for offset in range(lo - segment_start, hi - segment_start):
                    pieces[index][offset] = ""
                if lo == token.start:
                    replacements.setdefault(index, []).append((lo - segment_start, value))
        for index, segment in enumerate(segments):
            chars = pieces[index]
            for offset, value in replacements.get(index, []):
                chars[offset] = value
            new = "".join(chars)
            if isinstance(segment, _Space):
                if not new:
                    segment.element.parentNode.removeChild(segment.element)
            elif new != segment.data:
                self._write(segment, new)

    def _write(self, segment: DomNode, new: str) -> None:
        lines = new.split("\n")
        segment.data = lines[0]
        holder = segment.parentNode
        if self.dialect.text_holder is not None:
            holder.setAttributeNS(XML_NS, "xml:space", "preserve")
        anchor: DomNode = segment if self.dialect.text_holder is None else holder
        tag = (
            f"{holder.prefix}:{self.dialect.line_break}"
            if holder.prefix
            else self.dialect.line_break
        )
        for line in lines[1:]:
            br = self.document.createElementNS(self.dialect.namespace, tag)
            anchor.parentNode.insertBefore(br, anchor.nextSibling)
            if self.dialect.text_holder is None:
                text = self.document.createTextNode(line)
                anchor.parentNode.insertBefore(text, br.nextSibling)
                anchor = text
            else:
                t = holder.cloneNode(False)
                t.appendChild(self.document.createTextNode(line))
                anchor.parentNode.insertBefore(t, br.nextSibling)
                anchor = t


def _paragraphs_including(node: DomNode, dialect: Dialect) -> list[DomNode]:
    own = (
        node.nodeType == Node.ELEMENT_NODE
        and node.namespaceURI == dialect.namespace
        and node.localName in dialect.paragraphs
    )
    return ([node] if own else []) + _paragraphs(node, dialect)


def _siblings_under_common_parent(a: DomNode, b: DomNode) -> tuple[DomNode, DomNode]:
    """The ancestors-or-selves of a and b that are children of their lowest common ancestor."""
    chain_a, chain_b = _ancestors(a), _ancestors(b)
    for index, node in enumerate(chain_a):
        for other_index, other in enumerate(chain_b):
            if node is other:
                if index == 0 or other_index == 0:
                    break
                return chain_a[index - 1], chain_b[other_index - 1]
    raise TemplateError(_("A block's markers are nested in one another."))


def _ancestors(node: DomNode) -> list[DomNode]:
    chain = [node]
    while node.parentNode is not None:
        node = node.parentNode
        chain.append(node)
    return chain
