"""The infographic: totals, conversion, confidentiality, formats and languages."""

import datetime
import html
import re
import subprocess
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.directory.factories import OrganizationFactory
from hub.directory.models import AllianceMembership
from hub.funding import figures, infographic, services
from hub.funding.demo import FIXTURE
from hub.funding.factories import make_contribution, make_rate
from hub.funding.models import Category

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year_2024(affiliate, editor, staff):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    make_rate(organization=affiliate, amount=Decimal("20.00"), valid_from=D(2024, 1, 1))
    museum = OrganizationFactory(name="Testland Museum")
    hotel = OrganizationFactory(name="Testland Hotel")
    made = [
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=museum,
            date=D(2024, 1, 2),
            category="venue_space",
            value=Decimal("1000.00"),
            currency="EUR",
        ),
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_name="Volunteers",
            date=D(2024, 1, 3),
            category="volunteer_time",
            quantity=Decimal("100"),
            unit="hours",
        ),
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=hotel,
            date=D(2024, 1, 2),
            category="catering",
            value=Decimal("1095.60"),
            currency="USD",
        ),
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=hotel,
            date=D(2024, 1, 4),
            category="venue_space",
            value=Decimal("5000.00"),
            currency="EUR",
            confidential=True,
        ),
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_organization=museum,
            date=D(2023, 6, 30),
            category="venue_space",
            value=Decimal("2000.00"),
            currency="EUR",
        ),
    ]
    return made


def _figures(user, scope, currency="EUR", year=2024):
    return figures.compute(user, scope, year, currency)


def test_totals_equal_the_sum_of_the_contributions(affiliate, year_2024, anonymous):
    found = _figures(anonymous, figures.Scope(organization=affiliate))
    # 1000 EUR + 100 h x 20 EUR + 1095.60 USD at 1.0956 = 1000 EUR; the confidential 5000 left out
    assert found.total == Decimal("4000.00")
    assert found.hours == Decimal("100")
    assert found.contributions == 3
    assert found.partners == 3
    assert found.previous_total == Decimal("2000.00")
    assert found.change_percent == Decimal("100.0")
    assert found.by_category == [
        ("volunteer_time", "Volunteer time", Decimal("2000.00")),
        ("catering", "Catering", Decimal("1000.00")),
        ("venue_space", "Venue / space", Decimal("1000.00")),
    ]
    assert found.top_donors[0] == ("Volunteers", Decimal("2000.00"))
    assert ("USD", D(2024, 1, 2), D(2024, 1, 2)) in found.rate_dates


def test_confidential_contributions_count_only_for_those_allowed(
    affiliate, year_2024, viewer, outsider, staff
):
    scope = figures.Scope(organization=affiliate)
    assert _figures(outsider, scope).total == Decimal("4000.00")
    assert _figures(viewer, scope).total == Decimal("9000.00")
    assert _figures(staff, scope).total == Decimal("9000.00")
    # The donor's own members see it too.
    hotel = year_2024[3].donor_organization
    hotel_member = MembershipFactory(organization=hotel, user=UserFactory(), role="viewer").user
    assert _figures(hotel_member, scope).total == Decimal("9000.00")


def test_page_shows_outsider_and_member_their_own_totals(
    affiliate, year_2024, client_for, outsider, viewer
):
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024&currency=EUR"
    outside = client_for(outsider).get(url).content.decode()
    inside = client_for(viewer).get(url).content.decode()
    assert "4,000 EUR" in outside
    assert "9,000 EUR" not in outside
    assert "9,000 EUR" in inside
    assert "do not publish" in inside


def test_a_member_and_an_anonymous_visitor_never_share_a_copy(
    affiliate, year_2024, client_for, viewer
):
    """The confidential contribution counted for its member (who asks first) is not in the copy
    an anonymous visitor gets, on the page nor in a download."""
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024&currency=EUR"
    svg = reverse("funding:infographic_download", args=["svg"]) + url[url.index("?") :]
    assert "9,000 EUR" in client_for(viewer).get(url).content.decode()
    assert "9,000 EUR" in client_for(viewer).get(svg).content.decode()
    anonymous = client_for(None)
    page = anonymous.get(url).content.decode()
    assert "4,000 EUR" in page
    assert "9,000 EUR" not in page
    assert "9,000 EUR" not in anonymous.get(svg).content.decode()


def test_a_write_by_anyone_shows_on_the_next_page(
    affiliate, year_2024, client_for, staff, django_capture_on_commit_callbacks
):
    """A contribution recorded by staff, and a donor renamed in the directory, show at once."""
    from hub.directory.services import organization_update

    url = reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024&currency=EUR"
    client = client_for(None)
    assert "4,000 EUR" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_contribution(
            receiving_organization=affiliate,
            actor=staff,
            date=D(2024, 3, 1),
            value=Decimal("500.00"),
            currency="EUR",
        )
    assert "4,500 EUR" in client.get(url).content.decode()
    museum = year_2024[0].donor_organization
    with django_capture_on_commit_callbacks(execute=True):
        organization_update(actor=staff, organization=museum, name="Testland Art Museum")
    assert "Testland Art Museum" in client.get(url).content.decode()


def test_a_rolled_back_write_leaves_the_cached_figures(
    affiliate, year_2024, editor, anonymous, django_capture_on_commit_callbacks
):
    from django.db import transaction

    scope = figures.Scope(organization=affiliate)
    cached = figures.figures_for(anonymous, scope, 2024, "EUR")

    @transaction.atomic
    def refused():
        make_contribution(receiving_organization=affiliate, actor=editor, value=Decimal("1"))
        raise RuntimeError("refused")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        refused()
    assert callbacks == []
    assert figures.figures_for(anonymous, scope, 2024, "EUR").total == cached.total


def test_conversion_to_another_currency_and_refusal_without_a_rate(affiliate, year_2024, anonymous):
    scope = figures.Scope(organization=affiliate)
    in_usd = _figures(anonymous, scope, currency="USD")
    # 1000 EUR on Jan 2 (1.0956) + 2000 EUR on Jan 3 (1.0919) + 1095.60 USD
    assert in_usd.total == Decimal("1095.60") + Decimal("2183.80") + Decimal("1095.60")
    assert in_usd.rate_dates == [("USD", D(2023, 6, 30), D(2024, 1, 3))]
    refused = _figures(anonymous, scope, currency="SEK")
    assert refused.total is None
    assert "SEK" in refused.error
    assert "Jan. 2, 2024" in refused.error
    assert refused.by_currency == [("EUR", Decimal("3000.00")), ("USD", Decimal("1095.60"))]


def test_alliance_and_movement_scopes(
    affiliate, other_affiliate, year_2024, editor, anonymous, outsider
):
    make_contribution(receiving_organization=other_affiliate, actor=outsider, value=Decimal("10"))
    alliance = OrganizationFactory(name="Testland Hub", kind="hub")
    AllianceMembership.objects.create(alliance=alliance, member=affiliate)
    assert _figures(anonymous, figures.Scope(alliance=alliance)).total == Decimal("4000.00")
    assert _figures(anonymous, figures.Scope()).total == Decimal("4010.00")


def test_cached_figures_follow_new_contributions(
    affiliate, year_2024, editor, anonymous, django_capture_on_commit_callbacks
):
    scope = figures.Scope(organization=affiliate)
    assert figures.figures_for(anonymous, scope, 2024, "EUR").total == Decimal("4000.00")
    with django_capture_on_commit_callbacks(execute=True):
        make_contribution(receiving_organization=affiliate, actor=editor, value=Decimal("1"))
    assert figures.figures_for(anonymous, scope, 2024, "EUR").total == Decimal("4001.00")


def test_cached_figures_are_in_the_language_of_each_reader(affiliate, year_2024, anonymous):
    scope = figures.Scope(organization=affiliate)
    with translation.override("de"):
        german = figures.figures_for(anonymous, scope, 2024, "SEK")
    with translation.override("en"):
        english = figures.figures_for(anonymous, scope, 2024, "SEK")
    assert "2. Januar 2024" in german.error
    assert "Jan. 2, 2024" in english.error


def test_rate_dates_follow_the_language(affiliate, year_2024, client_for):
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024&currency=USD"
    client = client_for(None)
    assert "USD June 30, 2023 – Jan. 3, 2024" in client.get(url).content.decode()
    client.cookies["django_language"] = "de"
    assert "USD 30. Juni 2023 – 3. Januar 2024" in client.get(url).content.decode()


def test_numbers_follow_the_language(affiliate, year_2024, client_for, viewer):
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}&year=2024&currency=EUR"
    client = client_for(viewer)
    client.cookies["django_language"] = "de"
    page = client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "9.000 EUR" in page
    with translation.override("de"):
        svg = client.get(
            reverse("funding:infographic_download", args=["svg"])
            + f"?organization={affiliate.pk}&year=2024&currency=EUR"
        ).content.decode()
    assert "9.000 EUR" in svg


@pytest.mark.parametrize(
    ("fmt", "magic"), [("svg", b"<svg"), ("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")]
)
def test_downloads_are_one_page_files_with_name_and_year(
    affiliate, year_2024, client_for, fmt, magic
):
    response = client_for(None).get(
        reverse("funding:infographic_download", args=[fmt])
        + f"?organization={affiliate.pk}&year=2024"
    )
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "2024" in response["Content-Disposition"]
    if fmt == "svg":
        root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
        text = "".join(root.itertext())
        assert "Wikimedia Testland" in text
        assert "2024" in text
        assert "4,000 EUR" in text
    if fmt == "svg":
        assert len(infographic.print_document(response.content).pages) == 1


def test_bad_parameters_fall_back_instead_of_failing(client_for):
    response = client_for(None).get(
        reverse("funding:infographic") + "?organization=x&year=abc&currency=ZZZ"
    )
    assert response.status_code == 200
    assert (
        client_for(None).get(reverse("funding:infographic_download", args=["gif"])).status_code
        == 404
    )


def test_the_total_is_the_sum_rounded_once_not_the_rounded_categories(
    other_affiliate, staff, anonymous
):
    services.exchange_rates_import(actor=staff, file=FIXTURE.read_bytes())
    for category in ("catering", "printing_merchandise", "equipment_goods"):
        make_contribution(
            receiving_organization=other_affiliate,
            donor_name="Shop",
            date=D(2024, 1, 2),
            category=category,
            value=Decimal("1.00"),
            currency="USD",
        )
    found = _figures(anonymous, figures.Scope(organization=other_affiliate))
    # 1 USD at 1.0956 is 0.9127 EUR: each category shows 0.91, the three together 2.74
    assert [value for _code, _label, value in found.by_category] == [Decimal("0.91")] * 3
    assert found.total == Decimal("2.74")


def test_page_opens_on_the_latest_year_with_data_for_the_viewer(
    affiliate, year_2024, client_for, editor
):
    # a confidential contribution of 2025 is the latest only for those who may see it
    make_contribution(
        receiving_organization=affiliate,
        actor=editor,
        date=D(2025, 3, 1),
        value=Decimal("10.00"),
        currency="EUR",
        confidential=True,
    )
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}"
    html = client_for(None).get(url).content.decode()
    assert "In-kind support 2024: Wikimedia Testland" in html
    assert 'name="year" value="2024"' in html
    assert "4,000 EUR" in html
    assert "In-kind support 2025" in client_for(editor).get(url).content.decode()
    # the movement's page too, and the downloads it offers are of that year
    movement = client_for(None).get(reverse("funding:infographic")).content.decode()
    assert "year=2024" in movement


def test_a_year_without_data_says_so_instead_of_0_and_minus_100_percent(
    affiliate, year_2024, client_for
):
    url = reverse("funding:infographic") + f"?organization={affiliate.pk}"
    html = client_for(None).get(url + "&year=2025").content.decode()
    assert not re.search(r"(?<![\d,.])0 EUR", html)
    assert "−100" not in html
    assert re.search(r'data-figure="total">(<span class="figure-value">)?No data for 2025<', html)
    assert "(4,000 EUR the year before)" in html
    # 2023 has data, 2022 has none: no change, and the page says why
    html = client_for(None).get(url + "&year=2023").content.decode()
    assert "2,000 EUR" in html
    assert "no data for 2022" in html
    assert "– the year before" not in html
    svg = client_for(None).get(
        reverse("funding:infographic_download", args=["svg"])
        + f"?organization={affiliate.pk}&year=2025"
    )
    text = "".join(ElementTree.fromstring(svg.content).itertext())  # noqa: S314 - our own output
    assert "No data for 2025" in text
    assert "−100" not in text
    assert not re.search(r"(?<![\d,.])0 EUR", text)


def _pdf_words(pdf: bytes, tmp_path) -> list[tuple[float, str]]:
    """(left edge in points, text) of every word pdftotext finds on the page, in reading order."""
    path = tmp_path / "infographic.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(  # noqa: S603 - our own file, a fixed program
        ["/usr/bin/pdftotext", "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return [
        (float(x), html.unescape(word))
        for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', done.stdout)
    ]


# The charts stand 48 px (36 pt) from the page's left edge; a label starting left of that was cut.
CHART_LEFT = 48 * 0.75


@pytest.mark.parametrize("language", ["en", "de"])
def test_pdf_shows_every_category_label_whole(affiliate, editor, client_for, tmp_path, language):
    for i, (code, _label) in enumerate(Category.choices):
        make_contribution(
            receiving_organization=affiliate,
            actor=editor,
            donor_name=f"Donor {i}",
            date=D(2024, 2, 1 + i),
            category=code,
            value=Decimal(100 * (i + 1)),
            currency="EUR",
        )
    with translation.override(language):
        labels = [str(label) for _code, label in Category.choices]
    response = client_for(None).get(
        reverse("funding:infographic_download", args=["pdf"])
        + f"?organization={affiliate.pk}&year=2024",
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    words = _pdf_words(response.content, tmp_path)
    texts = [text for _x, text in words]
    for label in labels:
        parts = label.split()
        starts = [i for i in range(len(texts)) if texts[i : i + len(parts)] == parts]
        assert starts, f"{label!r} is not whole in the PDF: {' '.join(texts)}"
        left = words[starts[0]][0]
        assert left >= CHART_LEFT - 0.5, f"{label!r} starts at {left} pt, cut at {CHART_LEFT}"
