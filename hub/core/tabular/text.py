"""CSV and other delimited text: its encoding and delimiter recognised, its rows read."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hub.core.tabular.files import Limits, _fail, _head, _utf16_without_bom

ENCODING_NAMES = {
    "utf-8-sig": "UTF-8",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or evident), else Windows-1252, else Latin-1."""
    head = _head(path, 4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16 and _decodes(path, utf16):
        return utf16
    if _decodes(path, "utf-8"):
        return "utf-8"
    _refuse_mixed_encodings(path)
    if _decodes(path, "cp1252"):
        return "cp1252"
    return "latin-1"


def _refuse_mixed_encodings(path: Path) -> None:
    """A file that is not UTF-8 but has lines that are (rows pasted from another file, an export
    appended to an old one) would be read half as mojibake ("MÃ¼ller"): refused, naming a line
    of each kind, rather than guessed line by line."""
    utf8 = other = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                other = other or number
            else:
                utf8 = utf8 or number
            if utf8 and other:
                raise _fail(
                    _(
                        "The file mixes two text encodings: line %(utf8)s is UTF-8, line "
                        "%(other)s is not (it looks like Windows-1252 or Latin-1), so some names "
                        "would come out garbled. Save the file again as 'CSV UTF-8' and upload it."
                    )
                    % {"utf8": utf8, "other": other}
                )


DELIMITERS = (",", ";", "\t", "|")


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the sample's first rows most consistently into the most fields."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut
    text = "".join(lines[:50])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        delimiter = detect_delimiter(sample)
        csv.field_size_limit(max(limits.upload_bytes, 131072))
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, record
        except csv.Error as exc:
            raise _fail(
                _("The CSV file cannot be read after row %(row)s: %(error)s")
                % {"row": number, "error": exc}
            ) from exc
