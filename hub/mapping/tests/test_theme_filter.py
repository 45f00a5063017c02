"""The mapping pages' theme filter lists only themes of partnerships the viewer may see."""

import pytest

from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Theme
from hub.partnerships.services import themes_from_names


@pytest.fixture
def themes(affiliate):
    make_partnership(
        lead=affiliate, visibility="private", themes=themes_from_names(["Secret garden"])
    )
    make_partnership(lead=affiliate, title="Open", themes=themes_from_names(["GLAM"]))


@pytest.mark.parametrize("url", ["/mapping/", "/dashboard/"])
def test_a_theme_only_private_partnerships_use_is_listed_only_to_their_members(
    url, themes, client_for, anonymous, outsider, viewer
):
    # The anonymous visitor first: the filter form is cached, and must be kept per viewer.
    for user, sees in ((anonymous, False), (outsider, False), (viewer, True)):
        page = client_for(user).get(url).content.decode()
        assert "GLAM" in page
        assert ("Secret garden" in page) is sees, user


def test_theme_visible_to_follows_partnership_visibility(themes, anonymous, viewer, staff):
    assert list(Theme.objects.visible_to(anonymous).values_list("name", flat=True)) == ["GLAM"]
    assert set(Theme.objects.visible_to(viewer).values_list("name", flat=True)) == {
        "GLAM",
        "Secret garden",
    }
    assert Theme.objects.visible_to(staff).count() == 2
