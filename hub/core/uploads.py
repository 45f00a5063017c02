"""Looking for texts inside stored uploads (CSV, and the XML inside XLSX and ODS workbooks)."""

import html
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

CHUNK = 1 << 20
# Past this many bytes (a workbook's members decompressed) the file is taken to hold the values:
# an erasure errs on the side of the person, and an upload can be sent again.
MAX_BYTES = 256 << 20
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "cp1252")


def _needles(values: Iterable[str]) -> list[bytes]:
    found = set()
    for value in values:
        for text in {value, html.escape(value, quote=True), html.escape(value, quote=False)}:
            for encoding in ENCODINGS:
                try:
                    found.add(text.lower().encode(encoding))
                except UnicodeEncodeError:
                    continue
    return sorted(found, key=len, reverse=True)


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def _streams(handle: IO[bytes]) -> Iterator[IO[bytes]]:
    if zipfile.is_zipfile(handle):
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            for member in archive.infolist():
                with archive.open(member) as stream:
                    yield stream
    else:
        handle.seek(0)
        yield handle


def file_mentions(field_file, values: Iterable[str]) -> bool:
    """True if the stored file holds one of `values` (any case; UTF-8, UTF-16 or Windows-1252, as
    text or XML-escaped), or is too large to tell."""
    if not field_file:
        return False
    return _mentions(lambda: field_file.storage.open(field_file.name, "rb"), values)


def path_mentions(path: Path, values: Iterable[str]) -> bool:
    """`file_mentions` for a file the hub writes itself (an open-data dump)."""
    return _mentions(lambda: path.open("rb"), values)


def _mentions(opener: Callable[[], IO[bytes]], values: Iterable[str]) -> bool:
    needles = _needles(values)
    if not needles:
        return False
    overlap = max(len(n) for n in needles)
    try:
        with opener() as handle:
            seen = 0
            for stream in _streams(handle):
                tail = b""
                for chunk in _chunks(stream):
                    seen += len(chunk)
                    if seen > MAX_BYTES:
                        return True
                    window = (tail + chunk).lower()
                    if any(n in window for n in needles):
                        return True
                    tail = window[-overlap:]
    except (FileNotFoundError, zipfile.BadZipFile):
        return False
    return False
