"""In a real browser: an editor generates the letter of intent from the partnership's page and
downloads it; LibreOffice reads the downloaded file back."""

import pytest

from hub.core.testing.office import soffice_convert
from hub.lifecycle.factories_documents import make_agreement, make_documented_partnership


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.django_db(transaction=True)
def test_editor_downloads_the_letter_of_intent(browser_page, sign_in, editor, affiliate, tmp_path):
    partnership = make_documented_partnership(lead=affiliate)
    agreement = make_agreement(partnership)
    page = browser_page
    sign_in(page, "editor")
    page.goto(f"/partnerships/{partnership.pk}/")
    panel = page.locator(".documents-panel")
    panel.get_by_label("Document").select_option("letter_of_intent")
    panel.get_by_label("Format").select_option("odt")
    panel.get_by_label("Agreement").select_option(str(agreement.pk))
    page.shot("lifecycle-documents-panel")
    with page.expect_download() as download:
        panel.get_by_role("button", name="Generate and download").click()
    assert download.value.suggested_filename.endswith(".odt")
    target = tmp_path / "letter.odt"
    download.value.save_as(target)
    text = soffice_convert(target, "txt:Text (encoded):UTF8").read_text("utf-8-sig")
    assert "Smith & <Sons>" in text
    assert "Erika Mustermann" in text
    page.goto(f"/partnerships/{partnership.pk}/documents/")
    assert page.get_by_role("cell", name="Letter of intent v1", exact=True).count() == 1
    page.shot("lifecycle-documents-list")
