"""Numbers in query strings: one parser (hub.core.forms) for filters and views alike."""

import csv
import io

import pytest

from hub.core.forms import DB_INT_MAX, parse_int
from hub.funding.factories import make_contribution, make_grant

HOSTILE_NUMBERS = [str(2**63), str(2**64), "9" * 5000, "-1", "1.5", "1e3", "١٢", "²", "1\x00", ""]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_parse_int_refuses_what_the_database_cannot_hold(text):
    assert parse_int(text) is None


def test_parse_int_takes_ascii_digits_in_range():
    assert parse_int(" 12 ") == 12
    assert parse_int(str(DB_INT_MAX)) == DB_INT_MAX
    assert parse_int("0") is None
    assert parse_int("0", min_value=0) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/in-kind/", "/in-kind/grants/"])
@pytest.mark.parametrize("value", [str(2**63), "9" * 5000, "²", "١٢"])
def test_a_partnership_number_the_database_cannot_hold_finds_nothing(url, value, affiliate, client):
    # The partnership filter is a chooser (hub.core.choosers): a text that matches no
    # partnership the viewer may see lists nothing, as a missing id does, instead of everything.
    records = [
        make_contribution(receiving_organization=affiliate, description="Left out of the list"),
        make_grant(recipient=affiliate, title="Left out of the list"),
    ]
    response = client.get(url, {"partnership": value})
    page = response.content.decode()
    assert response.status_code == 200
    unfiltered = client.get(url).content.decode()
    assert not any(f'href="{record.get_absolute_url()}"' in page for record in records)
    assert any(f'href="{record.get_absolute_url()}"' in unfiltered for record in records)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/in-kind/export/", "/in-kind/grants/export/"])
def test_an_export_with_such_a_filter_is_a_whole_file(url, affiliate, client):
    make_contribution(receiving_organization=affiliate, description="Exported")
    make_grant(recipient=affiliate, title="Exported")
    whole = client.get(url, {"format": "csv"})
    response = client.get(url, {"partnership": str(2**63), "format": "csv"})

    def rows(answer):
        text = b"".join(answer.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))

    everything = rows(whole)
    assert response.status_code == 200
    assert len(everything) == 2  # the header and the one record
    assert rows(response) == everything[:1]  # a whole file: the header, and no record matches


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(2**63), "²"])
def test_due_list_and_api_lists_ignore_such_numbers(value, affiliate, client):
    assert client.get("/in-kind/grants/due/", {"organization": value}).status_code == 200
    for path in ("/api/v1/contributions", "/api/v1/grants"):
        answer = client.get(path, {"partnership": value})
        assert answer.status_code == 200
        assert answer.json()["notices"]
