"""The template engine: placeholders split by a word processor fill, values are text, blocks
repeat, mistakes are refused where they are, output is deterministic."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.lifecycle.documents.engine import OfficeTemplate, TemplateError, WikitextTemplate
from hub.lifecycle.documents.engine.syntax import clean_text
from hub.lifecycle.documents.engine.wikitext import escape
from hub.lifecycle.documents.uploads import office_format
from hub.lifecycle.documents.values import SCHEMA, sample_values
from hub.lifecycle.tests.documents_files import docx, odt, zipped

NASTY = "Smith & <Sons>"


def _values(**partner):
    values = sample_values()
    values["partner"] = {**values["partner"], **partner}
    return values


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


SPLIT_ODT = (
    '<text:p>Dear <text:span text:style-name="Bold">{{ part</text:span>'
    "<text:span>ner.na</text:span>me }}, welcome.</text:p>"
)
SPLIT_DOCX = (
    "<w:p><w:r><w:t>Dear </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{{ partner.</w:t></w:r>"
    '<w:proofErr w:type="spellStart"/><w:r><w:t>name }}</w:t></w:r><w:r><w:t>, welcome.</w:t></w:r></w:p>'
)


def test_a_placeholder_split_across_spans_fills_with_the_first_spans_formatting():
    out = _part(OfficeTemplate(odt(SPLIT_ODT), "odt").render(_values(name=NASTY)), "content.xml")
    assert '<text:span text:style-name="Bold">Smith &amp; &lt;Sons&gt;</text:span>' in out
    assert "{{" not in out
    assert "ner.na" not in out
    assert ", welcome." in out


def test_a_placeholder_split_across_runs_fills_in_docx():
    out = _part(
        OfficeTemplate(docx(SPLIT_DOCX), "docx").render(_values(name=NASTY)), "word/document.xml"
    )
    assert '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Smith &amp; &lt;Sons&gt;</w:t>' in out
    assert "name }}" not in out


def test_a_value_with_markup_stays_text_in_wikitext():
    assert escape(NASTY) == "Smith &amp; &lt;Sons&gt;"
    assert escape("[[Main Page]] {{x}}") == "<nowiki>[[Main Page]] {{x}}</nowiki>"
    assert escape("</nowiki>[[x]]") == "<nowiki>&lt;/nowiki&gt;[[x]]</nowiki>"
    assert escape("a\n* b") == "a<br /><nowiki>* b</nowiki>"


def test_line_breaks_in_a_value_become_line_breaks():
    out = _part(
        OfficeTemplate(odt("<text:p>{{ partner.address }}</text:p>"), "odt").render(
            _values(address="Street 1\n10115 Berlin")
        ),
        "content.xml",
    )
    assert "<text:p>Street 1<text:line-break/>10115 Berlin</text:p>" in out


def test_a_block_repeats_paragraphs_and_table_rows():
    body = (
        "<text:p>{% for party in parties %}</text:p><text:p>{{ party.name }}</text:p><text:p>{% endfor %}</text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>{% for goal in goals %}</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>{{ goal.name }}</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>{% endfor %}</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p>{% if clauses %}</text:p><text:p>Clauses</text:p><text:p>{% endif %}</text:p>"
    )
    values = sample_values()
    values["clauses"] = []
    out = _part(OfficeTemplate(odt(body), "odt").render(values), "content.xml")
    assert out.count("<text:p>Sample name 1</text:p>") == 2  # a party and a goal
    assert out.count("<table:table-row>") == 2
    assert "{%" not in out
    assert "Clauses" not in out


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("<text:p>Hello</text:p><text:p>Dear {{ partner.nmae }},</text:p>", "partner.nmae"),
        ("<text:p>{{ partner.name | upper }}</text:p>", "{{ partner.name | upper }}"),
        ("<text:p>{% for x in secrets %}</text:p><text:p>{% endfor %}</text:p>", "secrets"),
        (
            "<text:p>{% for p in parties %}</text:p><text:p>{{ p.salary }}</text:p><text:p>{% endfor %}</text:p>",
            "p.salary",
        ),
        ("<text:p>{{ party.name }}</text:p>", "party.name"),
        ("<text:p>Dear {{ partner.name </text:p>", "{{"),
        ("<text:p>{% for p in parties %} and more</text:p>", "stand alone"),
        ("<text:p>{% for p in parties %}</text:p>", "never closed"),
        ("<text:p>{% endif %}</text:p>", "not open"),
    ],
)
def test_a_template_mistake_is_refused_naming_it_and_where(body, named):
    with pytest.raises(TemplateError) as raised:
        OfficeTemplate(odt(body), "odt").check(SCHEMA)
    assert named in str(raised.value)
    assert "content.xml" in raised.value.where


def test_the_paragraph_of_an_unknown_placeholder_is_named():
    with pytest.raises(TemplateError) as raised:
        OfficeTemplate(odt("<text:p>A</text:p><text:p>B {{ partner.nmae }}</text:p>"), "odt").check(
            SCHEMA
        )
    assert "paragraph 2" in raised.value.where


def test_a_wikitext_mistake_names_its_line():
    with pytest.raises(TemplateError) as raised:
        WikitextTemplate("== Hi ==\n\n{{ lead.nam }}\n").check(SCHEMA)
    assert raised.value.where == "line 3"


def test_broken_xml_is_refused_with_its_line():
    with pytest.raises(TemplateError) as raised:
        OfficeTemplate(odt("", content="<?xml version='1.0'?>\n<a>\n<b></a>"), "odt").check(SCHEMA)
    assert "line 3" in str(raised.value)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'>&lol2;</office:document-content>"
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'>&e;</office:document-content>"
)


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL])
def test_entities_are_refused_by_the_engine_and_the_upload_check(content):
    with pytest.raises(TemplateError, match="DTD"):
        OfficeTemplate(odt("", content=content), "odt").check(SCHEMA)
    with pytest.raises(TemplateError, match="DTD"):
        OfficeTemplate(odt("", content=content + "{{ lead.name }}"), "odt").render({})
    with pytest.raises(TemplateError, match="entities or a DTD"):
        office_format(odt("", content=content))


def _bomb() -> bytes:
    return zipped(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": b" " * (80 << 20)}
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a template", "The hub takes"),
        (b"PK\x03\x04 broken", "damaged"),
        (odt("<text:p/>", extra={"Basic/Standard/Module1.xml": "<x/>"}), "macros"),
        (docx("<w:p/>", extra={"word/vbaProject.bin": b"\0"}), "macros"),
        (docx("<w:p/>", main="application/vnd.ms-word.document.macroEnabled.main+xml"), "macros"),
        (
            zipped(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": "<x/>",
                }
            ),
            "The hub takes",
        ),
        (_bomb(), "zip bomb"),
        (b"PK\x03\x04" + b"\0" * (6 << 20), "keeps files up to"),
    ],
)
def test_hostile_or_wrong_uploads_are_refused_with_a_clear_message(data, message):
    with pytest.raises(TemplateError, match=message):
        office_format(data)


def test_both_office_formats_are_recognised_by_content():
    assert office_format(odt("<text:p/>")) == "odt"
    assert office_format(docx("<w:p/>")) == "docx"


def test_rendering_twice_gives_the_same_bytes():
    template = OfficeTemplate(odt(SPLIT_ODT, extra={"Thumbnails/thumbnail.png": b"png"}), "odt")
    first = template.render(_values(name=NASTY))
    assert first == template.render(_values(name=NASTY))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())
        assert "Thumbnails/thumbnail.png" not in archive.namelist()


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=40), split=st.integers(min_value=1, max_value=16))
def test_any_value_reads_back_as_itself_wherever_the_placeholder_is_split(value, split):
    from defusedxml.minidom import parseString

    placeholder = "{{ partner.name }}"
    head, tail = placeholder[:split], placeholder[split:]
    body = f"<text:p>[<text:span>{head}</text:span>{tail}]</text:p>"
    out = _part(OfficeTemplate(odt(body), "odt").render(_values(name=value)), "content.xml")
    paragraph = parseString(out).getElementsByTagName("text:p")[0]
    text = "".join(
        node.data if node.nodeType == node.TEXT_NODE else "\n"
        for node in _walk(paragraph)
        if node.nodeType == node.TEXT_NODE or node.localName == "line-break"
    )
    assert text == f"[{clean_text(value)}]"
    assert WikitextTemplate("{{ partner.name }}").render(_values(name=value)).count(b"\n") == 0


def _walk(node):
    for child in node.childNodes:
        yield child
        yield from _walk(child)


def test_spaces_a_word_processor_wrote_as_elements_inside_a_placeholder_are_removed_with_it():
    body = '<text:p>Dear {{<text:s text:c="2"/>partner.name }}<text:s/>and co.</text:p>'
    out = _part(OfficeTemplate(odt(body), "odt").render(_values(name="Ada")), "content.xml")
    assert "<text:p>Dear Ada<text:s/>and co.</text:p>" in out
    assert OfficeTemplate(odt(body), "odt").check(SCHEMA) == ["partner.name"]
