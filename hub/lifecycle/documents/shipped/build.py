"""Writing the shipped templates' sources from texts.py: a flat OpenDocument file (.fodt) and a
wikitext file per kind and language. `manage.py build_document_templates` calls this and then has
LibreOffice turn each .fodt into the .odt and .docx the hub registers (shipped.py)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from hub.lifecycle.documents.shipped.texts import TEXTS, Line

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{title}</dc:title><dc:language>{language}</dc:language></office:meta>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.2cm"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-family="'Liberation Serif'"
    fo:font-size="11pt" fo:language="{language}" fo:country="{country}"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.5cm"/>
   <style:text-properties fo:font-size="18pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"
   style:default-outline-level="2">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="TableHeading" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="Parties" style:family="table">
   <style:table-properties style:width="16cm" table:align="left"/>
  </style:style>
  <style:style style:name="Cell" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/>
  </style:style>
 </office:automatic-styles>
 <office:body>
  <office:text>
"""
FODT_TAIL = """  </office:text>
 </office:body>
</office:document>
"""
COUNTRIES = {"en": "GB", "de": "DE"}


def _p(text: str, style: str = "Standard") -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _cell(*paragraphs: str) -> str:
    inner = "".join(_p(p) for p in paragraphs) or _p("")
    return f'<table:table-cell table:style-name="Cell" office:value-type="string">{inner}</table:table-cell>'


def _row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def _fodt_table(headings: str) -> str:
    first, second = headings.split("|")
    head = (
        f'<table:table-cell table:style-name="Cell" office:value-type="string">{_p(first, "TableHeading")}</table:table-cell>'
        f'<table:table-cell table:style-name="Cell" office:value-type="string">{_p(second, "TableHeading")}</table:table-cell>'
    )
    return (
        '<table:table table:name="Parties" table:style-name="Parties">'
        '<table:table-column table:number-columns-repeated="2"/>'
        f"{_row(head)}"
        f"{_row(_cell('{% for party in parties %}'), _cell())}"
        f"{_row(_cell('{{ party.name }}', '{{ party.role }}'), _cell('{{ party.address }}', '{{ party.executing_unit }}'))}"
        f"{_row(_cell('{% endfor %}'), _cell())}"
        "</table:table>"
    )


def fodt(language: str, lines: list[Line]) -> str:
    title = next(text for style, text in lines if style == "title")
    body = []
    for style, text in lines:
        if style == "title":
            body.append(_p(text, "Title"))
        elif style == "h":
            body.append(
                f'<text:h text:style-name="Heading" text:outline-level="2">{escape(text)}</text:h>'
            )
        elif style == "table":
            body.append(_fodt_table(text))
        else:
            body.append(_p(text))
    head = FODT_HEAD.format(title=escape(title), language=language, country=COUNTRIES[language])
    return head + "".join(f"   {line}\n" for line in body) + FODT_TAIL


def wikitext(lines: list[Line]) -> str:
    out: list[str] = []
    for style, text in lines:
        if style == "title":
            out += [f"== {text} ==", ""]
        elif style == "h":
            if out and out[-1] and not out[-1].startswith("{%"):
                out.append("")
            out += [f"=== {text} ===", ""]
        elif style == "table":
            first, second = text.split("|")
            out += [
                '{| class="wikitable"',
                f"! {first} !! {second}",
                "{% for party in parties %}",
                "|-",
                "| {{ party.name }}<br />{{ party.role }} || {{ party.address }}<br />{{ party.executing_unit }}",
                "{% endfor %}",
                "|}",
                "",
            ]
        elif text.startswith("{%"):
            out.append(text)
        elif text.startswith("– "):
            out.append("* " + text[2:])
        else:
            out += [text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def write_sources(directory: Path = FILES) -> list[Path]:
    """Write every .fodt and .wiki source; returns the .fodt paths (for LibreOffice to convert)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for (kind, language), (_name, lines) in sorted(TEXTS.items()):
        source = directory / f"{kind}-{language}.fodt"
        source.write_text(fodt(language, lines), encoding="utf-8")
        (directory / f"{kind}-{language}.wiki").write_text(wikitext(lines), encoding="utf-8")
        written.append(source)
    return written
