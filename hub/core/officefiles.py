"""Checks an uploaded document before the hub keeps it: a signed agreement's scan, a letter, an
ODT/DOCX template. Domain-free: the caller says which kinds it takes.

`check_office_file(file, allowed={"pdf", "odt", ...})` returns the kind its bytes say it is, or
raises ValidationError with a message a person can act on. What is refused:

- an empty file, or one over `settings.MAX_UPLOAD_BYTES` (or `max_bytes`);
- a file whose content is not one of the allowed kinds (a renamed program, an old .doc, a ZIP),
  or whose name's ending says another kind than its content;
- zip bombs: too many parts, a part that expands far more than its compressed size, or parts
  that together unpack to more than `MAX_UNCOMPRESSED`; password-protected (encrypted) parts;
- macros: a DOCX holding vbaProject.bin (or declaring itself macro-enabled), an ODF file holding
  Basic/ or Scripts/ parts; a PDF naming JavaScript or a launch action;
- XML parts with a DTD, entity declarations or external references (parsed with defusedxml), and
  XML that does not parse.

The file is read from its start and left at its start.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO, Any

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

KINDS = ("pdf", "odt", "docx", "png", "jpeg")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS = {
    ".pdf": "pdf",
    ".odt": "odt",
    ".docx": "docx",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
}
KIND_NAMES = {
    "pdf": gettext_noop("a PDF document"),
    "odt": gettext_noop("an OpenDocument text (ODT)"),
    "docx": gettext_noop("a Word document (DOCX)"),
    "png": gettext_noop("a PNG image"),
    "jpeg": gettext_noop("a JPEG image"),
    "program": gettext_noop("a program"),
    "ole": gettext_noop("an old Office file (.doc, .xls) or a password-protected document"),
    "zip": gettext_noop("a ZIP archive that is not a document"),
    "other": gettext_noop("a file of an unknown kind"),
}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 1000
# A part under this size may compress well (XML does) without being suspect.
RATIO_FLOOR = 1024 * 1024
PDF_ACTIONS = (b"/JavaScript", b"/Launch")
READ = 1 << 20


def check_office_file(
    file: IO[bytes] | Any,
    allowed: Iterable[str] = KINDS,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
) -> str:
    """The kind of `file` (one of `allowed`), or ValidationError saying what is wrong.

    `file` is an uploaded file (or any seekable binary file); its name is `name` or `file.name`."""
    allowed = set(allowed)
    unknown = allowed - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds: {sorted(unknown)}")
    name = name if name is not None else str(getattr(file, "name", "") or "")
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    size = _size(file)
    if size == 0:
        raise _invalid(_("The file is empty."), "empty")
    if size > limit:
        raise _invalid(
            _("The file is %(size)s; the hub keeps files up to %(limit)s.")
            % {"size": _human(size), "limit": _human(limit)},
            "too_large",
        )
    try:
        file.seek(0)
        kind = _kind(file, file.read(16))
        file.seek(0)
        if kind in ("odt", "docx", "zip"):
            kind = _check_zip(file)
        elif kind == "pdf":
            _check_pdf(file)
    finally:
        file.seek(0)
    if kind not in allowed:
        raise _invalid(
            _("The file is %(what)s. The hub takes %(kinds)s here.")
            % {"what": _(KIND_NAMES[kind]), "kinds": _kinds_list(allowed)},
            "kind",
        )
    ending = PurePath(name).suffix.lower()
    if ending and EXTENSIONS.get(ending) != kind:
        raise _invalid(
            _(
                "The file is named '%(name)s' but its content is %(what)s. Give it the right "
                "ending or save it again."
            )
            % {"name": _shorten(PurePath(name).name), "what": _(KIND_NAMES[kind])},
            "ending",
        )
    return kind


def digest(file: IO[bytes] | Any) -> tuple[str, int]:
    """The SHA-256 (hex) and size in bytes of `file`, read in chunks from its start and left at
    its start: the name a checked upload is stored under."""
    sha = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        sha.update(chunk)
        size += len(chunk)
    file.seek(0)
    return sha.hexdigest(), size


def _kind(file: Any, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        return "program"
    return "other"


def _check_zip(file: Any) -> str:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _invalid(_("The file is damaged: it cannot be opened."), "damaged") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _invalid(_("The file holds too many parts to be a document."), "zip_bomb")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise _invalid(
                    _("The file is password-protected. Save it without a password."), "encrypted"
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise _bomb()
        if total > MAX_UNCOMPRESSED:
            raise _bomb()
        kind = _zip_kind(archive)
        if kind != "zip":
            _check_macros(archive, kind)
            _check_xml(archive)
        return kind


def _bomb() -> ValidationError:
    return _invalid(
        _("The file expands to far more than its size (a 'zip bomb'); it was not opened."),
        "zip_bomb",
    )


def _read(archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    try:
        with archive.open(member) as stream:
            return stream.read(limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _invalid(_("The file is damaged: it cannot be opened."), "damaged") from exc


def _zip_kind(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = _read(archive, "mimetype", 200).strip()
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return "odt"
        return "zip"
    if "word/document.xml" in names and "[Content_Types].xml" in names:
        return "docx"
    return "zip"


def _check_macros(archive: zipfile.ZipFile, kind: str) -> None:
    names = archive.namelist()
    lowered = [n.lower() for n in names]
    if kind == "docx":
        types = _read(archive, "[Content_Types].xml", 1 << 20)
        macro = any(n.endswith(("vbaproject.bin", "vbadata.xml")) for n in lowered) or (
            b"macroEnabled" in types
        )
    else:
        macro = any(n.startswith(("basic/", "scripts/")) for n in lowered)
    if macro:
        raise _invalid(
            _(
                "The file contains macros, which the hub does not accept. Save it again as a "
                "plain document without macros."
            ),
            "macros",
        )


def _check_xml(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as stream:
                for _event, element in iterparse(
                    stream, forbid_dtd=True, forbid_entities=True, forbid_external=True
                ):
                    element.clear()
        except DefusedXmlException as exc:
            raise _invalid(
                _(
                    "The file's XML declares entities or a DTD (%(part)s), which the hub refuses "
                    "because they can attack the server. Save the document again from your "
                    "word processor."
                )
                % {"part": _shorten(info.filename)},
                "xml_entities",
            ) from exc
        except (ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _invalid(
                _("The file is damaged: its part %(part)s is not readable XML.")
                % {"part": _shorten(info.filename)},
                "damaged",
            ) from exc


def _check_pdf(file: Any) -> None:
    tail = b""
    while chunk := file.read(READ):
        window = tail + chunk
        if any(action in window for action in PDF_ACTIONS):
            raise _invalid(
                _(
                    "The PDF contains scripts or actions that run programs, which the hub does "
                    "not accept. Print it to a plain PDF and upload that."
                ),
                "macros",
            )
        tail = window[-16:]


def _size(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, 2)
    end = int(file.tell())
    file.seek(position)
    return end


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _kinds_list(allowed: set[str]) -> str:
    return ", ".join(
        {"pdf": "PDF", "odt": "ODT", "docx": "DOCX", "png": "PNG", "jpeg": "JPEG"}[k]
        for k in KINDS
        if k in allowed
    )


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
