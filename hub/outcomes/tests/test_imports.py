"""The Commons category count against the real test wiki, and the Dashboard CSV import."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hub.outcomes import rollups
from hub.outcomes.commons import commons_category_fetch
from hub.outcomes.dashboard import dashboard_csv_import
from hub.outcomes.models import Figure
from hub.partnerships.factories import make_partnership

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)
HEADER = (
    "course_slug,title,start_date,end_date,editors,articles_created,article_views,upload_count\n"
)


@pytest.fixture
def partnership(affiliate, editor):
    return make_partnership(lead=affiliate, actor=editor, title="Trams")


@pytest.fixture
def category(wiki_allowed):
    """Three file description pages and an article in one category, one file in a subcategory
    (the test wiki takes no uploads, but File: pages in a category are what categoryinfo and
    categorymembers count)."""
    for name in ("Outcome tram 1.jpg", "Outcome tram 2.jpg", "Outcome tram 3.jpg"):
        wiki_allowed.edit(f"File:{name}", "A tram. [[Category:Outcome trams]]")
    wiki_allowed.edit("Outcome tram article", "Text. [[Category:Outcome trams]]")
    wiki_allowed.edit("Category:Outcome tram details", "[[Category:Outcome trams]]")
    wiki_allowed.edit("File:Outcome tram 4.jpg", "[[Category:Outcome tram details]]")
    return wiki_allowed


def test_commons_count_stores_the_direct_files_their_titles_and_when(category, partnership, editor):
    figure = commons_category_fetch(
        actor=editor,
        partnership=partnership,
        category="Outcome_trams",
        wiki=category.api_url,
        period_start=START,
        period_end=END,
    )
    assert figure.value == 3
    assert figure.source == Figure.Source.COMMONS
    assert figure.source_ref == "127.0.0.1 Category:Outcome trams"
    assert figure.taken_at is not None
    assert sorted(figure.keys.values_list("key", flat=True)) == [
        "File:Outcome tram 1.jpg",
        "File:Outcome tram 2.jpg",
        "File:Outcome tram 3.jpg",
    ]
    # a second partnership counting the same category and the same files counts them once
    other = make_partnership(lead=partnership.lead, actor=editor, title="Trams again")
    commons_category_fetch(
        actor=editor,
        partnership=other,
        category="Category:Outcome trams",
        wiki=category.api_url,
        period_start=START,
        period_end=END,
    )
    total = rollups.totals_for_organization(editor, partnership.lead)[0]
    assert (total.definition.key, total.value, total.keyed_figures) == ("commons_uploads", 3, 2)


def test_a_category_with_no_files_says_so(category, partnership, editor):
    with pytest.raises(ValidationError) as error:
        commons_category_fetch(
            actor=editor,
            partnership=partnership,
            category="No such outcome category",
            wiki=category.api_url,
            period_start=START,
            period_end=END,
        )
    assert "has no members on 127.0.0.1" in error.value.message_dict["category"][0]
    assert not Figure.objects.exists()


def test_a_wiki_that_is_down_gives_a_clear_message(settings, partnership, editor):
    settings.WIKI_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(ValidationError) as error:
        commons_category_fetch(
            actor=editor,
            partnership=partnership,
            category="Trams",
            wiki="http://127.0.0.1:9/api.php",  # the discard port: nothing listens
            period_start=START,
            period_end=END,
        )
    assert "cannot be reached" in error.value.message_dict["category"][0]
    assert not Figure.objects.exists()


def test_a_wiki_the_hub_may_not_ask_is_refused(settings, partnership, editor):
    settings.WIKI_ALLOWED_HOSTS = ["commons.wikimedia.org"]
    with pytest.raises(ValidationError) as error:
        commons_category_fetch(
            actor=editor,
            partnership=partnership,
            category="Trams",
            wiki="example.org",
            period_start=START,
            period_end=END,
        )
    assert "WIKI_ALLOWED_HOSTS" in error.value.message_dict["category"][0]


def test_dashboard_csv_makes_one_figure_per_course_and_column(partnership, editor):
    data = (
        HEADER
        + "tram-edit-a-thon,Trams,2026-02-01 00:00:00 UTC,2026-02-02 23:59:59 UTC,12,5,900,30\n"
        + "tram-course,Course,,,3,,,\n"
    ).encode()
    figures = dashboard_csv_import(
        actor=editor, partnership=partnership, data=data, period_start=START, period_end=END
    )
    got = {(f.source_ref, f.definition.key): (f.value, f.period_start) for f in figures}
    assert got == {
        ("dashboard:tram-edit-a-thon", "participants"): (12, datetime.date(2026, 2, 1)),
        ("dashboard:tram-edit-a-thon", "pages_created"): (5, datetime.date(2026, 2, 1)),
        ("dashboard:tram-edit-a-thon", "page_views"): (900, datetime.date(2026, 2, 1)),
        ("dashboard:tram-edit-a-thon", "commons_uploads"): (30, datetime.date(2026, 2, 1)),
        ("dashboard:tram-course", "participants"): (3, START),
    }
    assert {f.source for f in figures} == {Figure.Source.DASHBOARD}


def test_dashboard_csv_bad_rows_are_named_and_nothing_is_imported(partnership, editor):
    data = (
        HEADER + "ok,Fine,,,1,2,3,4\n" + "bad,Bad,someday,,-1,two,3,4\n" + ",No slug,,,1,1,1,1\n"
    ).encode()
    with pytest.raises(ValidationError) as error:
        dashboard_csv_import(
            actor=editor, partnership=partnership, data=data, period_start=START, period_end=END
        )
    messages = error.value.message_dict["file"]
    assert messages == [
        "Row 3, column start_date: 'someday' is not a date such as 2024-05-31.",
        "Row 3, column editors: '-1' is not a number of 0 or more.",
        "Row 3, column articles_created: 'two' is not a number of 0 or more.",
        "Row 4, column course_slug: it is empty.",
    ]
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"title,editors\nx,1\n", "no course_slug column"),
        (b"course_slug,title\nx,y\n", "has none of the columns"),
        (b"course_slug,editors\n", "no rows below its header"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_dashboard_csv_of_another_shape_is_refused(partnership, editor, data, message):
    with pytest.raises(ValidationError) as error:
        dashboard_csv_import(
            actor=editor, partnership=partnership, data=data, period_start=START, period_end=END
        )
    assert message in error.value.message_dict["file"][0]
