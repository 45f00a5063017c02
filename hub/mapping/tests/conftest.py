"""The registry the mapping tests count: four public partnerships and a private one."""

import datetime

import pytest

from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership


@pytest.fixture
def registry(affiliate, other_affiliate):
    museum = OrganizationFactory(name="Museum", kind="museum", country="AT")
    library = OrganizationFactory(name="Library", kind="library", country="KE")
    ministry = OrganizationFactory(name="Ministry", kind="government", country="BR")
    make_partnership(
        lead=affiliate, partners=[museum], goals=["content"], start_date=datetime.date(2016, 5, 1)
    )
    make_partnership(
        lead=affiliate,
        partners=[museum, library],
        goals=["content", "advocacy"],
        structure="complex",
        start_date=datetime.date(2018, 1, 1),
    )
    make_partnership(
        lead=other_affiliate,
        partners=[ministry],
        goals=["funding"],
        status="completed",
        start_date=datetime.date(2016, 9, 1),
        end_date=datetime.date(2017, 1, 1),
    )
    make_partnership(lead=other_affiliate, partners=[affiliate], goals=["advocacy"])
    make_partnership(
        lead=affiliate,
        partners=[library],
        goals=["funding", "content", "advocacy"],
        visibility="private",
        title="Secret",
    )
    return {"museum": museum, "library": library, "ministry": ministry}
