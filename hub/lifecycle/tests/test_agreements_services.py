"""Agreement services: parties, the nine-topic checklist, files never replaced, history."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hub.core import history
from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry
from hub.core.testing import officefiles as files
from hub.directory.factories import OrganizationFactory
from hub.funding.factories import make_grant
from hub.lifecycle.agreements import services
from hub.lifecycle.agreements.models import Agreement, ChecklistItem
from hub.lifecycle.factories_agreements import make_agreement, partnership_with_partner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def partnership(affiliate):
    return partnership_with_partner(affiliate)[0]


def _partner(partnership):
    return partnership.participants.exclude(organization=partnership.lead).get().organization


def test_a_new_agreement_has_its_parties_and_nine_unscored_topics(editor, partnership):
    partner = _partner(partnership)
    agreement = services.agreement_create(
        actor=editor,
        partnership=partnership,
        kind=Agreement.Kind.MOU,
        title="  MoU on glass plates ",
        parties=[
            {"organization": partnership.lead, "signatory_name": "Ada", "signatory_role": "Chair"},
            {
                "organization": partner,
                "executing_unit": "Photo archive",
                "signatory_name": "Bo",
                "signed_on": datetime.date(2026, 3, 1),
                "address": "1 Glass Street",
            },
        ],
    )
    assert agreement.title == "MoU on glass plates"
    assert [p.organization for p in agreement.parties.all()] == [partnership.lead, partner]
    assert agreement.checklist.count() == 9
    assert set(agreement.checklist.values_list("score", flat=True)) == {""}
    entry = HistoryEntry.objects.for_object(agreement).get(action="create")
    assert any("Photo archive" in line for line in entry.changes["parties"][1])


def test_a_party_must_be_a_participant_and_a_signature_needs_a_name(editor, partnership):
    with pytest.raises(ValidationError) as caught:
        make_agreement(partnership, actor=editor, parties=[{"organization": OrganizationFactory()}])
    assert "parties" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_agreement(
            partnership,
            actor=editor,
            parties=[{"organization": partnership.lead, "signed_on": datetime.date(2026, 1, 1)}],
        )
    assert "Say who signed." in caught.value.message_dict["parties"][0]


def test_the_model_rules_are_kept(editor, partnership):
    with pytest.raises(ValidationError) as caught:
        make_agreement(
            partnership,
            actor=editor,
            effective_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )
    assert "end_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_agreement(partnership, actor=editor, licence="vrt")
    assert "vrt_ticket" in caught.value.message_dict


def test_a_grant_must_be_of_the_partnership(editor, affiliate, partnership):
    other = make_grant(recipient=affiliate, title="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        make_agreement(partnership, actor=editor, kind="grant_agreement", grant=other)
    assert "grant" in caught.value.message_dict
    mine = make_grant(recipient=affiliate, title="Ours", partnership=partnership)
    agreement = make_agreement(partnership, actor=editor, kind="grant_agreement", grant=mine)
    assert agreement.grant == mine


def test_only_editors_of_the_partnership_write(viewer, outsider, partnership):
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            make_agreement(partnership, actor=actor)
    agreement = make_agreement(partnership)
    with pytest.raises(PermissionDenied):
        services.agreement_update(actor=outsider, agreement=agreement, title="Mine")


def test_update_scores_the_checklist_with_a_diff(editor, partnership):
    agreement = make_agreement(partnership, actor=editor)
    services.agreement_update(
        actor=editor,
        agreement=agreement,
        expected_version=1,
        status="signed",
        checklist={"exit": {"score": "partly", "note": "Six months' notice"}},
    )
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert agreement.checklist.get(topic="exit").note == "Six months' notice"
    change = HistoryEntry.objects.for_object(agreement).get(action="change")
    assert change.changes["status"] == ["Draft", "Signed"]
    assert any("Six months' notice" in line for line in change.changes["checklist"][1])
    with pytest.raises(StaleVersionError):
        services.agreement_update(actor=editor, agreement=agreement, expected_version=1, title="x")
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=editor, agreement=agreement, checklist={"exit": {"score": "great"}}
        )
    with pytest.raises(ValidationError):
        services.agreement_update(actor=editor, agreement=agreement, checklist={"weather": {}})


def test_an_unchanged_save_records_nothing(editor, partnership):
    agreement = make_agreement(partnership, actor=editor, title="Same")
    services.agreement_update(actor=editor, agreement=agreement, title="Same")
    assert not HistoryEntry.objects.for_object(agreement).filter(action="change").exists()


def test_files_are_versions_with_their_sha256_never_replaced(editor, partnership):
    agreement = make_agreement(partnership, actor=editor)
    first = services.agreement_file_add(
        actor=editor, agreement=agreement, file=files.upload("signed.pdf", files.PDF)
    )
    second = services.agreement_file_add(
        actor=editor, agreement=agreement, file=files.upload("signed.pdf", files.PDF)
    )
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 == hashlib.sha256(files.PDF).hexdigest() == second.sha256
    assert first.file.name != second.file.name
    with first.file.open("rb") as handle:
        assert handle.read() == files.PDF
    assert first.content_type == "application/pdf"
    agreement.refresh_from_db()
    assert agreement.version == 3
    assert len(HistoryEntry.objects.for_object(agreement).filter(action="change")) == 2


@pytest.mark.parametrize(
    ("name", "data", "code_word"),
    [
        ("macro.docx", files.macro_docx(), "macros"),
        ("bomb.docx", files.zip_bomb_docx(20), "zip bomb"),
        ("entity.docx", files.entity_docx(), "entities"),
        ("setup.pdf", files.EXE, "program"),
    ],
)
def test_hostile_files_are_refused_with_a_message(editor, partnership, name, data, code_word):
    agreement = make_agreement(partnership, actor=editor)
    with pytest.raises(ValidationError) as caught:
        services.agreement_file_add(
            actor=editor, agreement=agreement, file=files.upload(name, data)
        )
    assert code_word in " ".join(caught.value.message_dict["file"])
    assert not agreement.files.exists()


def test_uploading_needs_edit_rights(viewer, partnership):
    agreement = make_agreement(partnership)
    with pytest.raises(PermissionDenied):
        services.agreement_file_add(
            actor=viewer, agreement=agreement, file=files.upload("a.pdf", files.PDF)
        )


def test_history_withholds_details_from_outsiders(outsider, viewer, partnership):
    agreement = make_agreement(
        partnership,
        parties=[{"organization": partnership.lead, "signatory_name": "Ada Secret"}],
        licence="vrt",
        vrt_ticket="2026010110000001",
    )
    seen_by_outsider = history.read(outsider, agreement)
    assert seen_by_outsider
    for entry in seen_by_outsider:
        assert "parties" not in entry.shown_changes
        assert "vrt_ticket" not in entry.shown_changes
        assert "checklist" not in entry.shown_changes
    member_view = history.read(viewer, agreement)[0].shown_changes
    assert "Ada Secret" in member_view["parties"][1][0]
    assert member_view["vrt_ticket"][1] == "2026010110000001"


def test_checklist_topics_are_the_scorecards_nine():
    assert len(ChecklistItem.Topic.values) == 9
