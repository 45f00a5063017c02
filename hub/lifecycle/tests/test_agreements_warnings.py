"""The four warnings appear and disappear, and only for those who may see agreements' details."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.funding.factories import make_grant
from hub.lifecycle.agreements import services, warnings
from hub.lifecycle.factories_agreements import (
    make_agreement,
    partnership_with_partner,
    place_past_agreement_step,
    sign_fully,
)
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def kinds(user, partnership):
    return [w.kind for w in warnings.warnings_for(user, partnership)]


def flagged(user):
    return set(
        Partnership.objects.filter(warnings.needs_attention_q(user)).values_list("title", flat=True)
    )


@pytest.fixture
def partnership(affiliate):
    # A prospect: before any agreement is due, until the test places it past the agreement step.
    return partnership_with_partner(affiliate, title="Glass plates", status="prospect")[0]


def test_an_active_partnership_whose_steps_are_not_followed_needs_a_signed_agreement(
    viewer, outsider, affiliate
):
    partnership = partnership_with_partner(affiliate, title="Scans", status="active")[0]
    assert kinds(viewer, partnership) == ["unsigned"]
    assert (
        "active but has no signed agreement" in warnings.warnings_for(viewer, partnership)[0].text
    )
    assert kinds(outsider, partnership) == []
    Partnership.objects.filter(pk=partnership.pk).update(status="completed")
    assert kinds(viewer, partnership) == []
    Partnership.objects.filter(pk=partnership.pk).update(status="active")
    sign_fully(partnership)
    assert kinds(viewer, partnership) == []


def test_past_the_agreement_step_without_a_signed_agreement(viewer, partnership):
    assert kinds(viewer, partnership) == []
    place_past_agreement_step(partnership)
    assert kinds(viewer, partnership) == ["unsigned"]
    assert flagged(viewer) == {"Glass plates"}
    draft = make_agreement(partnership)
    assert kinds(viewer, partnership) == ["unsigned"]
    services.agreement_update(
        actor=_system(),
        agreement=draft,
        status="signed",
        checklist={"exit": {"score": "fully"}, "ip_licence": {"score": "partly"}},
    )
    assert kinds(viewer, partnership) == []
    assert flagged(viewer) == set()


def test_an_ended_partnership_is_not_warned(viewer, partnership):
    place_past_agreement_step(partnership)
    Partnership.objects.filter(pk=partnership.pk).update(status="completed")
    assert kinds(viewer, partnership) == []


def test_a_signed_agreement_without_exit_or_ip(viewer, partnership):
    agreement = make_agreement(partnership, status="signed")
    assert kinds(viewer, partnership) == ["clauses"]
    services.agreement_update(
        actor=_system(), agreement=agreement, checklist={"exit": {"score": "fully"}}
    )
    assert kinds(viewer, partnership) == ["clauses"]  # the IP clause is still unscored
    services.agreement_update(
        actor=_system(), agreement=agreement, checklist={"ip_licence": {"score": "not_in_place"}}
    )
    assert kinds(viewer, partnership) == ["clauses"]
    services.agreement_update(
        actor=_system(), agreement=agreement, checklist={"ip_licence": {"score": "not_relevant"}}
    )
    assert kinds(viewer, partnership) == []


def test_ending_or_renewal_within_60_days(viewer, partnership):
    today = timezone.localdate()
    agreement = sign_fully(partnership, end_date=today + datetime.timedelta(days=60))
    assert kinds(viewer, partnership) == ["ending"]
    services.agreement_update(
        actor=_system(), agreement=agreement, end_date=today + datetime.timedelta(days=61)
    )
    assert kinds(viewer, partnership) == []
    services.agreement_update(
        actor=_system(), agreement=agreement, renewal_date=today + datetime.timedelta(days=3)
    )
    assert kinds(viewer, partnership) == ["ending"]
    services.agreement_update(actor=_system(), agreement=agreement, status="terminated")
    assert kinds(viewer, partnership) == []


def test_a_restricted_grant_without_an_agreement(viewer, affiliate, partnership):
    grant = make_grant(
        recipient=affiliate,
        partnership=partnership,
        restricted=True,
        restriction="Digitization only",
        status="awarded",
    )
    make_grant(recipient=affiliate, partnership=partnership, title="Free money", status="awarded")
    assert kinds(viewer, partnership) == ["grant"]
    sign_fully(partnership, kind="grant_agreement", grant=grant)
    assert kinds(viewer, partnership) == []


def test_warnings_are_only_for_those_who_see_the_details(
    viewer, outsider, anonymous, staff, partnership
):
    place_past_agreement_step(partnership)
    make_agreement(partnership, status="signed")  # kind MoU, checklist unscored
    assert kinds(viewer, partnership) == ["clauses"]
    assert kinds(staff, partnership) == ["clauses"]
    assert kinds(outsider, partnership) == []
    assert kinds(anonymous, partnership) == []
    assert flagged(outsider) == set()
    assert flagged(anonymous) == set()


def test_a_public_agreements_warning_reaches_who_sees_it(outsider, partnership):
    make_agreement(partnership, status="signed", details_public=True)
    assert kinds(outsider, partnership) == ["clauses"]


def test_the_partnership_page_shows_its_warning(client_for, viewer, outsider, partnership):
    place_past_agreement_step(partnership)
    url = reverse("partnerships:detail", args=[partnership.pk])
    member_page = client_for(viewer).get(url).content.decode()
    assert 'id="agreement-warnings"' in member_page
    assert "no signed" in member_page
    outsider_page = client_for(outsider).get(url).content.decode()
    assert 'id="agreement-warnings"' not in outsider_page


def test_the_home_lists_them_for_members(client_for, viewer, outsider, partnership):
    place_past_agreement_step(partnership)
    home = client_for(viewer).get("/").content.decode()
    assert "Glass plates: No signed agreement" in home
    assert reverse("lifecycle:agreement_list", args=[partnership.pk]) in home
    assert "Glass plates: " not in client_for(outsider).get("/").content.decode()


def _system():
    from hub.accounts.system import system_actor

    return system_actor()
