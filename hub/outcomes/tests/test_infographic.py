"""The year's outcomes on the in-kind infographic: the page, its SVG, and only what the viewer may
see (the figures are cached per viewer scope)."""

import datetime

import pytest
from django.urls import reverse

from hub.directory.factories import OrganizationFactory
from hub.outcomes.factories import make_figure
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(affiliate):
    museum = OrganizationFactory(name="Infographic Museum")
    public = make_partnership(lead=affiliate, partners=[museum], title="Public uploads")
    private = make_partnership(
        lead=affiliate, partners=[museum], title="Private uploads", visibility="private"
    )
    # Two partnerships claim one file: it counts once. The private one adds a file of its own.
    make_figure(partnership=public, metric="commons_uploads", keys=["File:A.jpg", "File:B.jpg"])
    make_figure(partnership=private, metric="commons_uploads", keys=["File:B.jpg", "File:C.jpg"])
    # A figure of another year is left out of 2026's infographic.
    make_figure(
        partnership=public,
        metric="commons_uploads",
        keys=["File:Old.jpg"],
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return public


def _outcome_cells(html: str) -> list[str]:
    import re

    return re.findall(r'data-outcome="\d+">([^<]*)<', html)


def test_the_infographic_shows_the_years_outcomes_counted_once_for_who_may_see_them(
    affiliate, uploads, client_for, viewer, outsider
):
    query = f"?organization={affiliate.pk}&year=2026&currency=EUR"
    url = reverse("funding:infographic") + query
    svg_url = reverse("funding:infographic_download", args=["svg"]) + query
    member_page = client_for(viewer).get(url).content.decode()
    assert "Outcomes in 2026" in member_page
    assert "Commons uploads (v1)" in member_page
    assert _outcome_cells(member_page) == ["3"]  # A, B, C: B once
    assert "distinct keys" in member_page
    outsider_page = client_for(outsider).get(url).content.decode()
    assert _outcome_cells(outsider_page) == ["2"]  # the private partnership's C is not counted
    svg = client_for(None).get(svg_url).content.decode()
    assert "Outcomes in 2026" in svg
    assert ">2</text>" in svg
    assert ">3</text>" not in svg


def test_without_outcomes_the_infographic_has_no_outcomes_band(affiliate, client_for, viewer):
    query = f"?organization={affiliate.pk}&year=2026&currency=EUR"
    page = client_for(viewer).get(reverse("funding:infographic") + query).content.decode()
    svg = (
        client_for(viewer)
        .get(reverse("funding:infographic_download", args=["svg"]) + query)
        .content.decode()
    )
    assert "Outcomes in" not in page
    assert "Outcomes in" not in svg
