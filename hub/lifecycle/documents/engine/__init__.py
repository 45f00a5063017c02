"""The template engine: the syntax (syntax.py), office documents (office.py), wikitext (wikitext.py)."""

from __future__ import annotations

from hub.lifecycle.documents.engine.office import OfficeTemplate
from hub.lifecycle.documents.engine.syntax import Schema, TemplateError
from hub.lifecycle.documents.engine.wikitext import WikitextTemplate

__all__ = ["OfficeTemplate", "Schema", "TemplateError", "WikitextTemplate", "load"]


def load(format: str, source: bytes | str) -> OfficeTemplate | WikitextTemplate:
    """The template of a version's `format` ("odt", "docx" or "wikitext") from its file or text."""
    if format == "wikitext":
        return WikitextTemplate(source if isinstance(source, str) else source.decode("utf-8"))
    return OfficeTemplate(source if isinstance(source, bytes) else source.encode(), format)
