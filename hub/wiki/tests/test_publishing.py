"""Publishing to the real test MediaWiki and reading back: the wikitable that appears on the
wiki, a change made there shown in the hub, a second publish refused until the person chooses,
taking changes back into the record; and a wiki that refuses the sign-in or cannot be reached."""

import datetime
import itertools

import pytest
from django.urls import reverse

from hub.core.models import HistoryEntry
from hub.core.tabular.wikitext import read_tables
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership
from hub.wiki.client import WikiEditConflict, WikiLoginError
from hub.wiki.publishing import services
from hub.wiki.publishing.models import Publication, WikiConnection
from hub.wiki.publishing.services import WikiChangedSincePublish
from hub.wiki.publishing.wikitext import partnership_page
from hub.wiki.tests.conftest import BOT_PASSWORD, OTHER_USER

pytestmark = pytest.mark.django_db

DESCRIPTION = "Scans of [[maps]] | {{templates}} & <b>tags</b>\n* not a list"
_numbers = itertools.count(1)


@pytest.fixture
def title():
    """A page of its own for each test (the wiki lives for the whole session)."""
    return f"Partnerships/Testland {next(_numbers)}"


@pytest.fixture
def connection(wiki_allowed, wiki_bot, manager, affiliate):
    return services.connection_create(
        actor=manager,
        organization=affiliate,
        label="Test wiki bot",
        api_url=wiki_allowed.api_url,
        kind="bot_password",
        username=wiki_bot,
        secret=BOT_PASSWORD,
    )


@pytest.fixture
def partnership(affiliate, editor):
    return make_partnership(
        lead=affiliate,
        actor=editor,
        title="Maps of Testland",
        description=DESCRIPTION,
        status="active",
        start_date=datetime.date(2026, 3, 1),
        visibility="public",
        links=[("Project page", "https://example.org/maps")],
    )


def _publish(editor, partnership, connection, title, **kwargs):
    preview = services.publication_preview(
        actor=editor, record=partnership, connection=connection, title=title
    )
    return services.publication_publish(
        actor=editor,
        record=partnership,
        connection=connection,
        title=title,
        seen_revision=preview.page.revision,
        **kwargs,
    )


def test_a_published_partnership_appears_on_the_wiki_as_the_expected_wikitable(
    mediawiki, editor, partnership, connection, title
):
    preview = services.publication_preview(
        actor=editor, record=partnership, connection=connection, title=title
    )
    assert not preview.page.exists
    assert [line.kind for line in preview.diff].count("added") == len(preview.wikitext.splitlines())
    publication = services.publication_publish(
        actor=editor, record=partnership, connection=connection, title=title, seen_revision=0
    )
    on_wiki = mediawiki.text(title)
    assert on_wiki.strip() == partnership_page(partnership).strip() == publication.wikitext.strip()
    assert publication.revision == mediawiki.revision(title)
    table = read_tables(on_wiki)[0]
    rows = {row[0]: row[1] for row in table.rows}
    # markup in a value is shown as text on the wiki, and reads back as the same text
    assert rows["Description"] == DESCRIPTION
    assert rows["Partnership"] == "Maps of Testland"
    assert rows["Status"] == "Active"
    assert rows["Start date"] == "2026-03-01"
    assert table.headers == ["Field", "Value"]
    assert "[[maps]]" not in on_wiki.replace("<nowiki>", "").split("</nowiki>")[-1]
    # the edit summary links back to the hub's record
    assert publication.summary.endswith(f"/partnerships/{partnership.pk}/)")
    entry = HistoryEntry.objects.get(object_id=publication.pk, content_type__model="publication")
    assert entry.changes["title"] == [None, title]


def test_a_change_on_the_wiki_shows_in_the_hub_and_a_second_publish_waits_for_a_choice(
    mediawiki, client_for, editor, partnership, connection, title
):
    first = _publish(editor, partnership, connection, title)
    changed = first.wikitext.replace("| 2026-03-01", "| 2026-04-15").replace(
        "| Active", "| Completed"
    )
    mediawiki.edit(title, changed, summary="fixed the dates", user=OTHER_USER)

    client = client_for(editor)
    page = client.get(reverse("wiki:publication", args=[first.pk])).content.decode()
    assert "Fields changed on the wiki" in page
    assert "2026-04-15" in page
    assert "Completed" in page

    # a publish over the revision seen before the wiki's edit is a conflict
    with pytest.raises(WikiEditConflict):
        services.publication_publish(
            actor=editor,
            record=partnership,
            connection=connection,
            title=title,
            seen_revision=first.revision,
        )
    # and even over the revision seen now, the hub does not overwrite without a choice
    with pytest.raises(WikiChangedSincePublish):
        _publish(editor, partnership, connection, title)
    assert mediawiki.text(title).strip() == changed.strip()

    # through the pages: the conflict is shown with the choice, nothing is published
    url = reverse("wiki:publish", args=["partnership", partnership.pk])
    answer = client.post(
        url,
        {
            "step": "publish",
            "connection": connection.pk,
            "title": title,
            "seen_revision": first.revision,
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "The page changed on the wiki" in text
    assert "Overwrite the changes made on the wiki" in text
    assert "Take the wiki's changes into the hub's record" in text
    assert Publication.objects.count() == 1

    # the person chooses to overwrite, knowingly
    answer = client.post(
        url,
        {
            "step": "publish",
            "connection": connection.pk,
            "title": title,
            "seen_revision": mediawiki.revision(title),
            "overwrite": "on",
        },
    )
    assert answer.status_code == 302
    second = Publication.objects.latest("pk")
    assert second.overwrote
    assert mediawiki.text(title).strip() == first.wikitext.strip()


def test_changed_fields_are_taken_back_into_the_record_after_review(
    mediawiki, client_for, editor, viewer, partnership, connection, title
):
    first = _publish(editor, partnership, connection, title)
    changed = (
        first.wikitext.replace("| 2026-03-01", "| 2026-04-15")
        .replace("| Active", "| Completed")
        .replace("| Maps of Testland", "| Maps of Testland and beyond")
        .replace("| Wikimedia Testland", "| Someone else entirely")
    )
    mediawiki.edit(title, changed, user=OTHER_USER)
    url = reverse("wiki:publication_take_back", args=[first.pk])

    assert client_for(viewer).post(url, {"fields_chosen": ["start_date"]}).status_code == 403
    page = client_for(editor).get(reverse("wiki:publication", args=[first.pk])).content.decode()
    assert 'value="start_date"' in page
    assert 'value="lead"' not in page  # the lead is not taken back

    answer = client_for(editor).post(url, {"fields_chosen": ["start_date", "status", "title"]})
    assert answer.status_code == 302
    partnership = Partnership.objects.get(pk=partnership.pk)
    assert partnership.start_date == datetime.date(2026, 4, 15)
    assert partnership.status == "completed"
    assert partnership.title == "Maps of Testland and beyond"
    assert partnership.lead.name == "Wikimedia Testland"
    entry = HistoryEntry.objects.filter(
        content_type__model="partnership", object_id=partnership.pk, action="change"
    ).latest("pk")
    assert entry.actor == editor
    assert entry.changes["start_date"] == ["2026-03-01", "2026-04-15"]


def test_a_wrong_bot_password_is_a_clear_message_and_publishes_nothing(
    wiki_allowed, client_for, manager, editor, affiliate, partnership, wiki_bot, title
):
    wrong = services.connection_create(
        actor=manager,
        organization=affiliate,
        label="Wrong",
        api_url=wiki_allowed.api_url,
        kind="bot_password",
        username=wiki_bot,
        secret="w" * 32,
    )
    with pytest.raises(WikiLoginError):
        _publish(editor, partnership, wrong, title)
    answer = client_for(editor).post(
        reverse("wiki:publish", args=["partnership", partnership.pk]),
        {"step": "publish", "connection": wrong.pk, "title": title, "seen_revision": 0},
    )
    assert answer.status_code == 200
    assert "refused to sign the hub in" in answer.content.decode()
    assert wiki_allowed.revision(title) == 0
    assert not Publication.objects.exists()


def test_a_private_partnership_is_never_published(
    wiki_allowed, client_for, editor, affiliate, connection, title
):
    private = make_partnership(lead=affiliate, actor=editor, visibility="private")
    page = client_for(editor).get(reverse("wiki:publish", args=["partnership", private.pk]))
    assert "Only public records are published" in page.content.decode()
    answer = client_for(editor).post(
        reverse("wiki:publish", args=["partnership", private.pk]),
        {"step": "publish", "connection": connection.pk, "title": title, "seen_revision": 0},
    )
    assert answer.status_code == 200
    assert wiki_allowed.revision(title) == 0


def test_the_secret_is_encrypted_and_never_shown_logged_or_recorded(
    mediawiki, caplog, client_for, manager, editor, partnership, connection, title
):
    caplog.set_level("DEBUG")
    stored = WikiConnection.objects.get(pk=connection.pk)
    assert BOT_PASSWORD not in stored.secret_encrypted
    assert stored.secret() == BOT_PASSWORD
    _publish(editor, partnership, connection, title)
    for user in (manager, editor):
        page = client_for(user).get(reverse("wiki:connections")).content.decode()
        assert "Test wiki bot" in page
        assert BOT_PASSWORD not in page
    form = client_for(manager).post(
        reverse("wiki:connection_create"),
        {"label": "x", "api_url": "", "kind": "bot_password", "secret": "another-secret-1"},
    )
    assert "another-secret-1" not in form.content.decode()
    assert BOT_PASSWORD not in caplog.text
    assert BOT_PASSWORD not in repr(services.session_for(connection)._credentials)
    for entry in HistoryEntry.objects.all():
        assert BOT_PASSWORD not in str(entry.changes)


def test_a_lesson_and_an_organizations_table_are_published_through_the_pages(
    mediawiki, client_for, editor, affiliate, partnership, connection
):
    from hub.knowledge.factories import make_lesson

    lesson = make_lesson(
        organization=affiliate, actor=editor, title="Start small", visibility="public"
    )
    client = client_for(editor)
    for kind, record, title in (
        ("lesson", lesson, "Learning patterns/Start small"),
        ("organization", affiliate, "Wikimedia Testland/Partnerships"),
    ):
        url = reverse("wiki:publish", args=[kind, record.pk])
        preview = client.post(
            url, {"step": "preview", "connection": connection.pk, "title": title}
        ).content.decode()
        assert "The page does not exist yet: publishing creates it." in preview
        answer = client.post(
            url,
            {"step": "publish", "connection": connection.pk, "title": title, "seen_revision": 0},
        )
        assert answer.status_code == 302
        publication = Publication.objects.get(kind=kind)
        assert mediawiki.text(title).strip() == publication.wikitext.strip()
        detail = client.get(reverse("wiki:publication", args=[publication.pk])).content.decode()
        assert "Nobody changed the page on the wiki since this publish." in detail
    on_wiki = mediawiki.text("Wikimedia Testland/Partnerships")
    assert read_tables(on_wiki)[0].rows[0][1] == "Maps of Testland"
    assert "== What problem does this solve? ==" in mediawiki.text("Learning patterns/Start small")
