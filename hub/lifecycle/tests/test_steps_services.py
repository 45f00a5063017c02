import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hub.core.exceptions import StaleVersionError
from hub.core.models import HistoryEntry
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.factories_steps import make_lifecycle, start_progress, step_of
from hub.lifecycle.steps import progress as steps_progress
from hub.lifecycle.steps import services
from hub.lifecycle.steps.models import Lifecycle, StepVisit, past_agreement_step_q
from hub.lifecycle.steps.presets import AGREEMENT, ENDING, PRESETS
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership

D = datetime.date


@pytest.fixture
def partnership(affiliate):
    return make_partnership(lead=affiliate, partners=[OrganizationFactory(name="Museum")])


def visits(progress):
    return [(v.step.key, v.entered_on, v.left_on) for v in progress.visits.select_related("step")]


def test_manager_adopts_a_preset_with_its_steps_in_order(affiliate, manager):
    lifecycle = services.lifecycle_adopt(
        actor=manager, organization=affiliate, preset="partnering_cycle"
    )
    assert lifecycle.is_default  # the first one is the default
    steps = list(lifecycle.steps.all())
    assert [s.key for s in steps] == [s.key for s in PRESETS["partnering_cycle"].steps]
    assert [s.position for s in steps] == [1, 2, 3, 4]
    assert steps[0].milestone == AGREEMENT
    assert steps[-1].milestone == ENDING
    assert "Help the partners reach agreement." in str(steps[0].shown_actions)
    assert steps[0].links.count() == 3
    entry = HistoryEntry.objects.get(object_id=affiliate.pk, action="create")
    assert entry.changes["lifecycle_steps"][1][0].startswith("1. Scoping and building")


def test_editor_and_outsider_may_not_adopt(affiliate, editor, outsider):
    for actor in (editor, outsider):
        with pytest.raises(PermissionDenied):
            services.lifecycle_adopt(actor=actor, organization=affiliate, preset="eight_steps")
    assert not Lifecycle.objects.exists()


def test_a_preset_is_adopted_once_and_unknown_presets_are_refused(affiliate, manager):
    services.lifecycle_adopt(actor=manager, organization=affiliate, preset="eight_steps")
    with pytest.raises(ValidationError):
        services.lifecycle_adopt(actor=manager, organization=affiliate, preset="eight_steps")
    with pytest.raises(ValidationError):
        services.lifecycle_adopt(actor=manager, organization=affiliate, preset="nine_steps")


def test_choosing_the_default_leaves_one(affiliate, manager):
    first = make_lifecycle(affiliate)
    second = services.lifecycle_adopt(actor=manager, organization=affiliate, preset="wmde_data")
    assert not second.is_default
    services.lifecycle_set_default(actor=manager, lifecycle=second)
    assert list(Lifecycle.objects.filter(is_default=True)) == [second]
    first.refresh_from_db()
    assert not first.is_default


def test_rename_reorder_add_retire_restore(affiliate, manager):
    lifecycle = make_lifecycle(affiliate)
    first = step_of(lifecycle, "preliminary_work")
    services.step_rename(actor=manager, step=first, name="Why partner?", obstacles="No time")
    added = services.step_create(actor=manager, lifecycle=lifecycle, name="Annual report")
    assert added.position == 9
    services.step_move(actor=manager, step=added, up=True)
    keys = [s.key or s.name for s in lifecycle.steps.all()]
    assert keys[-2:] == ["Annual report", "follow_up_or_exit"]
    services.step_retire(actor=manager, step=added)
    added.refresh_from_db()
    assert added.is_retired
    services.step_restore(actor=manager, step=added)
    added.refresh_from_db()
    assert not added.is_retired
    first.refresh_from_db()
    assert (first.label, first.obstacles) == ("Why partner?", "No time")
    # The preset's own name typed back is stored blank: it then follows the reader's language.
    services.step_rename(actor=manager, step=first, name="Preliminary work")
    first.refresh_from_db()
    assert first.name == ""
    assert HistoryEntry.objects.filter(object_id=affiliate.pk, action="change").count() == 6


def test_a_second_agreement_milestone_is_refused(affiliate, manager):
    lifecycle = make_lifecycle(affiliate)
    with pytest.raises(ValidationError):
        services.step_rename(
            actor=manager, step=step_of(lifecycle, "co_design"), milestone=AGREEMENT
        )


def test_restoring_a_step_whose_milestone_is_taken_is_refused(affiliate, manager):
    lifecycle = make_lifecycle(affiliate)
    agreement = step_of(lifecycle, "formal_agreement")
    services.step_retire(actor=manager, step=agreement)
    services.step_rename(actor=manager, step=step_of(lifecycle, "co_design"), milestone=AGREEMENT)
    with pytest.raises(ValidationError):
        services.step_restore(actor=manager, step=agreement)


def test_links_add_and_remove(affiliate, manager):
    step = step_of(make_lifecycle(affiliate), "co_design")
    link = services.step_link_add(
        actor=manager, step=step, label="Our MoU", url="https://example.org/mou"
    )
    with pytest.raises(ValidationError):
        services.step_link_add(actor=manager, step=step, label="Bad", url="javascript:alert(1)")
    services.step_link_remove(actor=manager, link=link)
    assert not step.links.exists()


def test_progress_starts_on_the_leads_default_made_when_missing(partnership, editor):
    progress = steps_progress.progress_start(
        actor=editor, partnership=partnership, on=D(2026, 1, 5)
    )
    assert progress.lifecycle.organization == partnership.lead
    assert progress.lifecycle.is_default
    assert visits(progress) == [("preliminary_work", D(2026, 1, 5), None)]
    entry = HistoryEntry.objects.filter(object_id=partnership.pk).first()
    assert entry.changes["step"] == [None, "Preliminary work"]


def test_viewer_and_outsider_may_not_start_or_move(partnership, viewer, outsider, editor):
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            steps_progress.progress_start(actor=actor, partnership=partnership)
    progress = steps_progress.progress_start(actor=editor, partnership=partnership)
    step = progress.lifecycle.steps.get(key="first_contact")
    for actor in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            steps_progress.progress_move(actor=actor, partnership=partnership, step=step)


def test_moving_forward_and_back_closes_and_opens_visits(partnership, editor):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    lifecycle = progress.lifecycle
    steps_progress.progress_move(
        actor=editor,
        partnership=partnership,
        step=step_of(lifecycle, "co_design"),
        on=D(2026, 2, 1),
        note="Met the director",
    )
    steps_progress.progress_move(
        actor=editor,
        partnership=partnership,
        step=step_of(lifecycle, "first_contact"),
        on=D(2026, 2, 1),
    )
    assert visits(progress) == [
        ("preliminary_work", D(2026, 1, 1), D(2026, 2, 1)),
        ("co_design", D(2026, 2, 1), D(2026, 2, 1)),
        ("first_contact", D(2026, 2, 1), None),
    ]
    with pytest.raises(ValidationError) as refused:
        steps_progress.progress_move(
            actor=editor,
            partnership=partnership,
            step=step_of(lifecycle, "evaluation"),
            on=D(2026, 1, 31),
        )
    assert "on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        steps_progress.progress_move(
            actor=editor, partnership=partnership, step=step_of(lifecycle, "first_contact")
        )


def test_a_stale_version_is_refused(partnership, editor):
    progress = start_progress(partnership)
    with pytest.raises(StaleVersionError):
        steps_progress.progress_move(
            actor=editor,
            partnership=partnership,
            step=step_of(progress.lifecycle, "co_design"),
            expected_version=progress.version + 1,
        )


def test_a_step_of_another_lifecycle_or_retired_is_refused(partnership, editor, manager):
    progress = start_progress(partnership)
    other = make_lifecycle(OrganizationFactory(), "wmde_data")
    with pytest.raises(ValidationError):
        steps_progress.progress_move(
            actor=editor, partnership=partnership, step=other.steps.first()
        )
    retired = services.step_retire(actor=manager, step=step_of(progress.lifecycle, "co_design"))
    with pytest.raises(ValidationError):
        steps_progress.progress_move(actor=editor, partnership=partnership, step=retired)


def test_adapting_keeps_partnerships_on_their_steps(partnership, editor, manager):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    lifecycle = progress.lifecycle
    co_design = step_of(lifecycle, "co_design")
    steps_progress.progress_move(
        actor=editor, partnership=partnership, step=co_design, on=D(2026, 3, 1)
    )
    services.step_rename(actor=manager, step=co_design, name="Designing together")
    services.step_move(actor=manager, step=co_design, up=True)
    services.step_retire(actor=manager, step=co_design)
    current = StepVisit.objects.get(progress=progress, left_on__isnull=True)
    assert current.step == co_design  # still there until it moves on
    assert current.step.label == "Designing together"
    steps_progress.progress_move(
        actor=editor, partnership=partnership, step=step_of(lifecycle, "formal_agreement")
    )
    assert StepVisit.objects.filter(progress=progress, step=co_design).count() == 1


def test_next_action_owner_must_be_a_participants_member(partnership, editor, outsider):
    start_progress(partnership)
    progress = steps_progress.next_action_set(
        actor=editor,
        partnership=partnership,
        action="Send the draft MoU",
        owner=editor,
        due=D(2026, 5, 1),
    )
    assert (progress.next_action, progress.next_action_owner) == ("Send the draft MoU", editor)
    with pytest.raises(ValidationError) as refused:
        steps_progress.next_action_set(
            actor=editor, partnership=partnership, action="Call", owner=outsider
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError):
        steps_progress.next_action_set(
            actor=editor, partnership=partnership, action="", due=D(2026, 5, 1)
        )


def test_moving_on_only_in_the_ending_step_and_may_end_the_partnership(partnership, editor):
    progress = start_progress(partnership, on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        steps_progress.moving_on_save(actor=editor, partnership=partnership, celebration="Cake")
    steps_progress.progress_move(
        actor=editor,
        partnership=partnership,
        step=step_of(progress.lifecycle, "follow_up_or_exit"),
        on=D(2026, 6, 1),
    )
    steps_progress.moving_on_save(
        actor=editor,
        partnership=partnership,
        celebration="An edit-a-thon party",
        what_goes_public="The report",
        completed_on=D(2026, 6, 30),
        end_partnership=True,
    )
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.COMPLETED
    assert partnership.end_date == D(2026, 6, 30)
    progress.refresh_from_db()
    assert progress.moving_on.celebration == "An edit-a-thon party"


def test_past_agreement_step_q(affiliate, editor, manager):
    before = make_partnership(lead=affiliate, title="Before")
    at = make_partnership(lead=affiliate, title="At")
    past = make_partnership(lead=affiliate, title="Past")
    make_partnership(lead=affiliate, title="Not started")
    for p in (before, at, past):
        start_progress(p)
    lifecycle = Lifecycle.objects.get(organization=affiliate)
    for p, key in ((at, "formal_agreement"), (past, "implementation")):
        steps_progress.progress_move(actor=editor, partnership=p, step=step_of(lifecycle, key))

    def titles():
        return set(
            Partnership.objects.filter(past_agreement_step_q()).values_list("title", flat=True)
        )

    assert titles() == {"Past"}
    # Moving the agreement step after implementation: "Past" is no longer past it.
    agreement = step_of(lifecycle, "formal_agreement")
    services.step_move(actor=manager, step=agreement, up=False)
    assert titles() == set()
    # Without an agreement step in use, nobody is past it.
    services.step_move(actor=manager, step=agreement, up=True)
    services.step_retire(actor=manager, step=agreement)
    assert titles() == set()


def test_the_history_names_what_steps_record_in_the_readers_language(partnership, editor):
    start_progress(partnership, on=D(2026, 1, 1))
    steps_progress.next_action_set(
        actor=editor, partnership=partnership, action="Call the director", owner=None, due=None
    )
    labels = {
        row["label"] for e in HistoryEntry.objects.for_object(partnership) for row in e.rows()
    }
    # Named by the lifecycle's labels, not spelled from the stored keys ("Step entered").
    assert {"Step entered on", "Next action", "Step"} <= labels
    with translation.override("de"):
        german = {
            row["label"] for e in HistoryEntry.objects.for_object(partnership) for row in e.rows()
        }
    assert "Nächste Aufgabe" in german
    assert "Next action" not in german
