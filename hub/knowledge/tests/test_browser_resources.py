"""The resource library in a real browser: share a file for the formal-agreement step, find it
in the library, on the partnership's step and with the search; nobody outside the team does."""

import pytest

from hub.core.testing.officefiles import PDF
from hub.directory.factories import OrganizationFactory
from hub.knowledge.resources.models import Resource
from hub.lifecycle.factories_steps import make_lifecycle, start_progress
from hub.lifecycle.steps import progress as steps_progress
from hub.partnerships.factories import make_partnership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def test_share_a_file_and_find_it_on_the_step_and_in_the_search(
    browser_page, sign_in, editor, outsider, affiliate, tmp_path
):
    lifecycle = make_lifecycle(affiliate)
    partnership = make_partnership(
        lead=affiliate, partners=[OrganizationFactory(name="Town museum")], title="Town scans"
    )
    start_progress(partnership, lifecycle)
    steps_progress.progress_move(
        actor=editor, partnership=partnership, step=lifecycle.steps.get(key="formal_agreement")
    )
    upload = tmp_path / "mou-checklist.pdf"
    upload.write_bytes(PDF)

    page = browser_page
    sign_in(page, "editor")
    page.goto("/knowledge/resources/")
    page.get_by_role("link", name="Share a resource").click()
    page.get_by_label("Title").fill("Our memorandum checklist")
    page.get_by_label("Shared by").select_option(str(affiliate.pk))
    page.get_by_label("Kind").select_option("template")
    page.get_by_label("What it is for").fill("The clauses a museum asked for: photographs.")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_label("Licence").select_option("cc-by-sa-4.0")
    page.get_by_label("Visibility").select_option("private")
    page.get_by_label("Formal agreement").check()
    page.shot("resource-new")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Our memorandum checklist").wait_for()
    page.shot("resource-detail")
    resource = Resource.objects.get()
    assert (resource.file_name, resource.licence) == ("mou-checklist.pdf", "cc-by-sa-4.0")
    assert page.get_by_role("link", name="Download mou-checklist.pdf").is_visible()

    page.goto("/knowledge/resources/?step=formal_agreement")
    page.shot("resource-library")
    assert page.get_by_role("link", name="Our memorandum checklist").is_visible()
    assert page.get_by_role("heading", name="Document templates").is_visible()

    page.goto(f"/partnerships/{partnership.pk}/steps/")
    section = page.locator("#steps")
    assert section.get_by_role("link", name="Our memorandum checklist").is_visible()

    page.goto("/search/?q=photographs")
    page.shot("resource-search")
    assert page.get_by_role("link", name="Our memorandum checklist").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    sign_in(page, "outsider")
    page.goto("/search/?q=photographs")
    assert page.get_by_role("link", name="Our memorandum checklist").count() == 0
    page.goto("/knowledge/resources/")
    assert page.get_by_role("link", name="Our memorandum checklist").count() == 0
