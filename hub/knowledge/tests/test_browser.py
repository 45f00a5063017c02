"""The knowledge journeys in a real browser: write a lesson and endorse it; ask the clinic, answer,
mark the answer that helped and turn the question into a draft lesson."""

import pytest

from hub.knowledge.models import Endorsement, Lesson, Question

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_write_a_lesson_and_endorse_it(browser_page, sign_in, editor, outsider, affiliate):
    page = browser_page
    sign_in(page, "editor")
    page.goto("/knowledge/lessons/")
    page.get_by_role("link", name="Write a lesson").click()
    page.shot("lesson-new")
    page.get_by_label("Title").fill("Always have a contract")
    page.get_by_label("Written for").select_option(str(affiliate.pk))
    page.get_by_label("Good, bad or ugly").select_option("bad")
    page.get_by_label("Category").select_option("agreements")
    page.get_by_label("What problem does this solve?").fill("A professor left halfway.")
    page.get_by_label("What is the solution?").fill("Sign an agreement before starting.")
    page.get_by_label("Status").select_option("published")
    page.get_by_label("Formal agreement").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Always have a contract").wait_for()
    page.shot("lesson-detail")
    assert "A learning pattern for agreements" in page.locator("main").inner_text()
    _sign_out(page)

    sign_in(page, "outsider")
    page.goto(Lesson.objects.get().get_absolute_url())
    page.get_by_label("Comment").fill("We learnt the same at our university.")
    page.get_by_role("button", name="Endorse", exact=True).click()
    page.get_by_text("We learnt the same at our university.").wait_for()
    page.shot("lesson-endorsed")
    assert Endorsement.objects.get().user == outsider
    assert not page.get_by_role("button", name="Endorse", exact=True).count()


def test_ask_answer_mark_solved_and_turn_into_a_lesson(
    browser_page, sign_in, viewer, outsider, affiliate
):
    page = browser_page
    sign_in(page, "viewer")
    page.goto("/knowledge/clinic/")
    page.get_by_role("link", name="Ask the clinic").click()
    page.get_by_label("Your question").fill("How do partners take ownership?")
    page.get_by_label("Details").fill("Fourteen organizations talk only about outputs.")
    page.get_by_label("Advocacy / outreach").check()
    page.shot("clinic-ask")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_role("heading", name="How do partners take ownership?").wait_for()
    question = Question.objects.get()
    _sign_out(page)

    sign_in(page, "outsider")
    page.goto("/knowledge/clinic/")
    page.get_by_role("link", name="How do partners take ownership?").click()
    page.get_by_label("Your answer").fill("Give each partner a piece they own.")
    page.get_by_role("button", name="Send the answer").click()
    page.get_by_text("Give each partner a piece they own.").wait_for()
    _sign_out(page)

    sign_in(page, "viewer")
    page.goto(question.get_absolute_url())
    page.get_by_role("button", name="Mark as the answer that helped").click()
    page.get_by_text("This answer helped").wait_for()
    page.shot("clinic-solved")
    page.get_by_role("button", name="Turn into a draft lesson").click()
    page.get_by_role("heading", name="How do partners take ownership?").wait_for()
    page.shot("clinic-lesson")
    lesson = Lesson.objects.get()
    assert page.url.endswith(lesson.get_absolute_url())
    assert lesson.solution == "Give each partner a piece they own."
    assert "Draft" in page.locator("main").inner_text()
