"""The wikitext the hub publishes: values shown as text whatever markup they hold (read back by
the same parser the read-back uses), an organization's table with only its public partnerships,
a lesson in the learning pattern's sections."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.core.tabular.wikitext import read_tables
from hub.directory.factories import OrganizationFactory
from hub.knowledge.factories import make_lesson
from hub.partnerships.factories import make_partnership
from hub.wiki.publishing import readback, wikitext


def _read_cell(value: str) -> str:
    table = read_tables(
        '{| class="wikitable"\n! A !! B\n|-\n! x\n| ' + wikitext.text(value) + "\n|}"
    )
    return table[0].rows[0][1]


@pytest.mark.parametrize(
    "value",
    [
        "[[Main Page]] {{template}} | pipe",
        "</nowiki>[[x]]",
        "a & b &amp; <b>c</b>",
        "'''bold''' ~~~~ __NOTOC__",
        "== heading ==",
        "https://example.org/x",
        "* item\n# item\n: indent\n; term",
    ],
)
def test_markup_in_a_value_is_published_as_text(value):
    assert _read_cell(value) == value
    published = wikitext.text(value)
    outside = re.sub(r"<nowiki>.*?</nowiki>", "", published)
    assert not set(outside) & set("[]{}|'~=*#:;")


LINE = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")))


@given(st.lists(LINE, min_size=1, max_size=4))
def test_any_text_reads_back_as_itself(lines):
    value = "\n".join(lines)
    # as the wiki renders it: spaces collapsed within a line, empty lines not kept
    expected = [" ".join(line.split()) for line in lines if line.split()]
    assert [line for line in _read_cell(value).split("\n") if line] == expected


@pytest.mark.django_db
def test_an_organizations_table_lists_only_its_public_partnerships(affiliate, editor):
    museum = OrganizationFactory(name="Museum of [[Maps]]")
    make_partnership(
        lead=affiliate,
        actor=editor,
        partners=[museum],
        title="Open maps",
        visibility="public",
        start_date=datetime.date(2025, 5, 1),
    )
    make_partnership(lead=affiliate, actor=editor, title="Secret talks", visibility="private")
    text = wikitext.organization_table(affiliate)
    assert "Secret talks" not in text
    table = read_tables(text)[0]
    assert table.headers == ["Partner", "Partnership", "Goals", "Status", "Start", "End"]
    assert table.rows == [
        [
            "Museum of [[Maps]]",
            "Open maps",
            "Content for Wikimedia projects",
            "Active",
            "2025-05-01",
            "",
        ]
    ]


@pytest.mark.django_db
def test_a_lesson_is_written_as_a_learning_pattern(affiliate, editor):
    lesson = make_lesson(
        organization=affiliate,
        actor=editor,
        title="Meet the curators first",
        problem="Partners lose interest | after {{one}} meeting.",
        solution="Agree on a small first upload.",
    )
    text = wikitext.lesson_pattern(lesson)
    assert "== What problem does this solve? ==" in text
    assert "<nowiki>Partners lose interest | after {{one}} meeting.</nowiki>" in text
    assert f"/knowledge/lessons/{lesson.pk}/" in text or f"{lesson.get_absolute_url()}" in text


def test_a_line_diff_says_what_was_removed_and_added():
    lines = readback.line_diff("a\nb\nc", "a\nB\nc")
    assert [(d.kind, d.text) for d in lines if d.kind != "hunk"] == [
        ("context", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("context", "c"),
    ]


def test_a_status_or_date_the_hub_cannot_read_is_not_taken_back():
    published = '{| class="wikitable"\n! F !! V\n|-\n! Partnership\n| T\n|}'
    rows = ["Partnership", "Lead", "Partners", "Goals", "Status", "Scope", "Start date"]
    cells = ["T", "L", "", "", "Active", "Local", "2026-01-01"]

    def page(changes):
        values = [changes.get(r, c) for r, c in zip(rows, cells, strict=True)]
        body = "".join(f"|-\n! {r}\n| {v}\n" for r, v in zip(rows, values, strict=True))
        return '{| class="wikitable"\n! Field !! Value\n' + body + "|}"

    published = page({})
    changes = readback.partnership_changes(
        published, page({"Status": "Sort of done", "Start date": "March 2026", "Lead": "X"})
    )
    by_field = {c.field: c for c in changes}
    assert not by_field["status"].takeable
    assert "is not one of the hub's statuses" in by_field["status"].problem
    assert not by_field["start_date"].takeable
    assert not by_field["lead"].takeable
    assert readback.partnership_changes(published, "no table any more") is None
