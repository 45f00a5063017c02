"""Pages: list, forms, detail, history, archive, rates, grants, deadlines and the currency choice."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.demo import FIXTURE
from hub.funding.exchange_rates.currency import SESSION_CURRENCY
from hub.funding.factories import make_contribution, make_rate
from hub.funding.models import Grant, InKindContribution, ValuationRate

pytestmark = pytest.mark.django_db


def test_list_hides_confidential_ones_from_outsiders(affiliate, editor, outsider, client_for):
    make_contribution(receiving_organization=affiliate, actor=editor, donor_name="Open Donor")
    make_contribution(
        receiving_organization=affiliate, actor=editor, donor_name="Quiet Donor", confidential=True
    )
    url = reverse("funding:list")
    assert "Quiet Donor" not in client_for(outsider).get(url).content.decode()
    assert "Quiet Donor" not in client_for(None).get(url).content.decode()
    page = client_for(editor).get(url).content.decode()
    assert "Quiet Donor" in page
    assert "Open Donor" in page


def test_list_filters_and_reports_bad_filters(affiliate, editor, client_for):
    make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        donor_name="Catering Co",
        category="catering",
        date=datetime.date(2023, 3, 1),
    )
    make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        donor_name="Venue Co",
        category="venue_space",
        date=datetime.date(2024, 3, 1),
    )
    client = client_for(None)
    page = client.get(reverse("funding:list") + "?category=catering&year=2023").content.decode()
    assert "Catering Co" in page
    assert "Venue Co" not in page
    page = client.get(reverse("funding:list") + "?year=twenty").content.decode()
    assert "Ignored the filter" in page
    assert "Venue Co" in page
    fragment = client.get(
        reverse("funding:list") + "?donor=venue",
        headers={"HX-Request": "true", "HX-Target": "results"},
    ).content.decode()
    assert "<html" not in fragment
    assert "Venue Co" in fragment


def test_list_query_count_does_not_grow_with_rows(affiliate, editor, client_for, settings):
    settings.PAGE_SIZE = 50
    client = client_for(editor)
    make_contribution(receiving_organization=affiliate, actor=editor)
    client.get(reverse("funding:list"))  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("funding:list"))
    for _ in range(12):
        make_contribution(receiving_organization=affiliate, actor=editor)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("funding:list"))
    assert len(many) == len(few)


def test_editor_records_a_contribution_valued_from_the_rate(affiliate, editor, client_for):
    make_rate(organization=affiliate, amount=Decimal("20.00"))
    response = client_for(editor).post(
        reverse("funding:contribution_create"),
        {
            "receiving_organization": f"#{affiliate.pk}",
            "donor_name": "Ten volunteers",
            "date": "2024-05-04",
            "category": "volunteer_time",
            "quantity": "12.5",
            "unit": "hours",
            "description": "Photo walk",
        },
    )
    assert response.status_code == 302
    made = InKindContribution.objects.get()
    assert (made.value, made.currency, made.value_source) == (Decimal("250.00"), "EUR", "rate")
    detail = client_for(editor).get(response["Location"]).content.decode()
    assert "250.00 EUR" in detail
    assert "the rate" in detail


def test_form_errors_name_their_fields(affiliate, editor, client_for):
    response = client_for(editor).post(
        reverse("funding:contribution_create"),
        {
            "receiving_organization": f"#{affiliate.pk}",
            "date": "2024-05-04",
            "period_end": "2024-05-01",
            "category": "catering",
            "quantity": "10",
            "unit": "persons",
            "currency": "EURO",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"donor_organization", "period_end", "currency"}
    assert not InKindContribution.objects.exists()
    # Valid form, but no rate in force: the service's message lands on the value field.
    response = client_for(editor).post(
        reverse("funding:contribution_create"),
        {
            "receiving_organization": f"#{affiliate.pk}",
            "donor_name": "X",
            "date": "2024-05-04",
            "category": "catering",
            "quantity": "10",
            "unit": "persons",
        },
    )
    assert "no valuation rate" in " ".join(response.context["form"].errors["value"])


def test_edit_with_a_stale_version_is_refused(affiliate, editor, client_for):
    made = make_contribution(receiving_organization=affiliate, actor=editor, donor_name="A")
    services.contribution_update(actor=editor, contribution=made, description="changed")
    response = client_for(editor).post(
        reverse("funding:contribution_edit", args=[made.pk]),
        {
            "receiving_organization": f"#{affiliate.pk}",
            "donor_name": "B",
            "date": "2024-05-04",
            "category": "catering",
            "value": "5",
            "currency": "EUR",
            "version": "1",
        },
    )
    assert "Someone else saved" in response.content.decode()
    made.refresh_from_db()
    assert made.donor_name == "A"


def test_evidence_file_is_served_only_to_those_who_see_it(
    affiliate, editor, outsider, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(editor).post(
        reverse("funding:contribution_create"),
        {
            "receiving_organization": f"#{affiliate.pk}",
            "donor_name": "Printer",
            "date": "2024-05-04",
            "category": "printing_merchandise",
            "value": "80",
            "currency": "EUR",
            "confidential": "on",
            "evidence_file": SimpleUploadedFile("invoice.txt", b"waived invoice 42"),
        },
    )
    made = InKindContribution.objects.get()
    assert response.status_code == 302
    url = reverse("funding:contribution_evidence", args=[made.pk])
    assert b"".join(client_for(editor).get(url).streaming_content) == b"waived invoice 42"
    assert client_for(outsider).get(url).status_code == 404


def test_archive_and_restore_through_the_page(affiliate, editor, client_for):
    made = make_contribution(receiving_organization=affiliate, actor=editor, donor_name="Gone")
    client = client_for(editor)
    client.post(reverse("funding:contribution_archive", args=[made.pk]), {"version": "1"})
    assert "Gone" not in client.get(reverse("funding:list")).content.decode()
    assert "Gone" in client.get(reverse("funding:list") + "?archived=on").content.decode()
    client.post(
        reverse("funding:contribution_archive", args=[made.pk]), {"restore": "1", "version": "2"}
    )
    made.refresh_from_db()
    assert not made.archived
    history = client.get(reverse("funding:contribution_history", args=[made.pk])).content.decode()
    assert history.count("history-entry") >= 3


def test_rates_page_adds_a_rate_and_refuses_others(affiliate, manager, outsider, client_for):
    url = reverse("funding:rate_list", args=[affiliate.pk])
    data = {
        "category": "catering",
        "unit": "persons",
        "amount": "15",
        "currency": "eur",
        "valid_from": "2024-01-01",
    }
    assert client_for(outsider).post(url, data).status_code == 403
    assert client_for(manager).post(url, data).status_code == 302
    rate = ValuationRate.objects.get()
    assert (rate.currency, rate.amount) == ("EUR", Decimal("15"))
    page = client_for(None).get(url).content.decode()
    assert "Catering" in page
    assert "Add a rate" not in page


def test_grant_form_deadlines_and_due_list(affiliate, editor, client_for):
    funder = OrganizationFactory(name="Testland Foundation", kind="funder")
    client = client_for(editor)
    response = client.post(
        reverse("funding:grant_create"),
        {
            "title": "Photo grant",
            "funder": f"#{funder.pk}",
            "recipient": f"#{affiliate.pk}",
            "amount": "5000",
            "currency": "EUR",
            "status": "awarded",
            "restricted": "on",
            "restriction": "",
        },
    )
    assert response.status_code == 200
    assert "restriction" in response.context["form"].errors
    response = client.post(
        reverse("funding:grant_create"),
        {
            "title": "Photo grant",
            "funder": f"#{funder.pk}",
            "recipient": f"#{affiliate.pk}",
            "amount": "5000",
            "currency": "EUR",
            "status": "awarded",
            "restricted": "on",
            "restriction": "Travel only",
        },
    )
    grant = Grant.objects.get()
    soon = timezone.localdate() + datetime.timedelta(days=12)
    later = timezone.localdate() + datetime.timedelta(days=90)
    for day, what in ((soon, "Interim report"), (later, "Final report")):
        client.post(
            reverse("funding:deadline_create", args=[grant.pk]),
            {"due_date": day.isoformat(), "description": what},
        )
    due = client.get(reverse("funding:grant_due")).content.decode()
    assert "Interim report" in due
    assert "Final report" not in due
    listing = client.get(reverse("funding:grant_list")).content.decode()
    assert "Due in the next 30 days" in listing
    assert "Interim report" in listing
    deadline = grant.deadlines.get(description="Interim report")
    client.post(reverse("funding:deadline_done", args=[deadline.pk]), {"done": "1"})
    assert "Interim report" not in client.get(reverse("funding:grant_due")).content.decode()


def test_reporting_currency_choice_is_kept_and_used(affiliate, client_for, staff):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    client = client_for(None)
    response = client.post(reverse("funding:currency"), {"currency": "USD"})
    assert response.status_code == 302
    assert client.session[SESSION_CURRENCY] == "USD"
    page = client.get(reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024")
    assert page.context["figures"].currency == "USD"
    assert client.post(reverse("funding:currency"), {"currency": "XXX"}).status_code == 200


def test_staff_upload_ecb_rates_and_see_bad_lines_named(client_for, staff):
    client = client_for(staff)
    bad = SimpleUploadedFile("eurofxref.csv", b"Date,USD,\n2024-01-02,1.0956,\n2024-01-03,x,\n")
    response = client.post(reverse("funding:exchange_rates_upload"), {"file": bad}, follow=True)
    assert "Line 3, column &#x27;USD&#x27;" in response.content.decode()
    good = SimpleUploadedFile("eurofxref.csv", FIXTURE.read_bytes())
    response = client.post(reverse("funding:exchange_rates_upload"), {"file": good}, follow=True)
    assert "rates stored" in response.content.decode()
