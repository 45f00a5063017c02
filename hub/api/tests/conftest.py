import pytest

from hub.api import services
from hub.directory.factories import OrganizationFactory
from hub.partnerships.factories import make_partnership


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.API_RATE_LIMIT_PER_TOKEN = 100000
    settings.API_RATE_LIMIT_PER_ADDRESS = 100000


@pytest.fixture
def token_for():
    """A bearer header for `user` with a new token of `scope`."""

    def make(user, scope="write"):
        _token, secret = services.apitoken_create(actor=user, name="test", scope=scope)
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def museum(db):
    return OrganizationFactory(name="Testland Museum", country="AT", wikidata_id="Q12345")


@pytest.fixture
def registry(affiliate, other_affiliate, museum):
    """One public, one movement-only and one private partnership of the affiliate, one of another."""
    return {
        "public": make_partnership(
            lead=affiliate, partners=[museum], title="Public one", visibility="public"
        ),
        "movement": make_partnership(
            lead=affiliate, partners=[museum], title="Movement one", visibility="movement"
        ),
        "private": make_partnership(
            lead=affiliate, partners=[museum], title="Private one", visibility="private"
        ),
        "other_private": make_partnership(
            lead=other_affiliate, partners=[museum], title="Their private", visibility="private"
        ),
    }
