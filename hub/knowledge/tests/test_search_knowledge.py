"""Lessons, clinic questions (with their answers) and agreements in the one search: found by the
words they contain for those who may see them, by nobody else. Outside a transaction, as MariaDB's
FULLTEXT index sees only committed rows."""

import pytest

from hub.core.models import Visibility
from hub.core.search import terms
from hub.core.search.query import Filters
from hub.core.search.query import search as run
from hub.knowledge import services
from hub.knowledge.factories import make_answer, make_lesson, make_question
from hub.lifecycle.factories_agreements import make_agreement, partnership_with_partner
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)


def kinds_found(user, text):
    return sorted(
        (hit.kind, hit.plain_title) for hit in run(user, terms.parse(text), Filters()).hits
    )


def test_a_private_lesson_is_found_by_its_team_only(affiliate, editor, viewer, outsider, anonymous):
    make_lesson(
        organization=affiliate,
        actor=editor,
        title="Contracts with professors",
        problem="The professor left without a zanzibarian contract.",
        visibility=Visibility.PRIVATE,
    )
    assert kinds_found(viewer, "zanzibarian") == [("lesson", "Contracts with professors")]
    assert kinds_found(outsider, "zanzibarian") == []
    assert kinds_found(anonymous, "zanzibarian") == []


def test_an_edited_lesson_is_found_by_its_new_words(affiliate, editor, viewer):
    lesson = make_lesson(
        organization=affiliate, actor=editor, title="Roundtables", problem="Too big"
    )
    assert kinds_found(viewer, "quorumless") == []
    services.lesson_update(
        actor=editor, lesson=lesson, solution="Keep it quorumless and small.", expected_version=None
    )
    assert kinds_found(viewer, "quorumless") == [("lesson", "Roundtables")]


def test_a_question_is_found_by_its_answers_words(affiliate, editor, viewer, outsider):
    question = make_question(
        organization=affiliate,
        actor=editor,
        title="Museum stops answering",
        body="What now?",
        visibility=Visibility.PRIVATE,
    )
    make_answer(question=question, actor=viewer, body="Send a borogove postcard.")
    assert kinds_found(viewer, "borogove") == [("question", "Museum stops answering")]
    assert kinds_found(outsider, "borogove") == []


def test_an_agreement_is_found_by_its_title_not_by_its_details(affiliate, viewer, anonymous):
    partnership, partner = partnership_with_partner(affiliate, title="Glass plates")
    make_agreement(
        partnership,
        title="Frabjous memorandum",
        parties=[{"organization": partner, "signatory_name": "Jabberwock Signer"}],
    )
    assert kinds_found(anonymous, "frabjous") == [("agreement", "Frabjous memorandum")]
    assert kinds_found(viewer, "jabberwock") == []  # the signatory is a detail, never indexed
    # Who may see it is asked when searching: nothing to re-index.
    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.PRIVATE)
    assert kinds_found(anonymous, "frabjous") == []
