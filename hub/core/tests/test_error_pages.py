"""Error pages in the site's layout, as a visitor meets them with DEBUG off."""

import pytest
from django.test import Client
from django.urls import path, reverse
from django.views.defaults import server_error

from hub.partnerships.factories import make_partnership
from hub.urls import urlpatterns as hub_urlpatterns


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*hub_urlpatterns, path("boom/", _boom)]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _in_layout(response, title: str) -> str:
    html = response.content.decode()
    assert '<header class="site-header">' in html
    assert 'class="site-nav"' in html
    assert f"<h1>{title}</h1>" in html
    assert '<footer class="site-footer">' in html
    return html


def test_404_is_in_the_site_layout_and_leaks_nothing(client):
    response = client.get("/partnerships/999999/")
    assert response.status_code == 404
    html = _in_layout(response, "Page not found")
    assert "Partnership matching query" not in html
    assert "No Partnership" not in html


def test_private_partnership_answers_the_same_404_page(client, affiliate):
    private = make_partnership(lead=affiliate, title="Quiet plan", visibility="private")
    response = client.get(private.get_absolute_url())
    assert response.status_code == 404
    html = _in_layout(response, "Page not found")
    assert "Quiet plan" not in html


def test_403_is_in_the_site_layout_and_shows_the_signed_in_user(client_for, viewer):
    response = client_for(viewer).get(reverse("partnerships:create"))
    assert response.status_code == 403
    html = _in_layout(response, "Not allowed")
    assert reverse("accounts:account") in html


def test_400_is_in_the_site_layout(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    _in_layout(response, "Bad request")


def test_csrf_failure_is_in_the_site_layout(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    _in_layout(response, "Form expired")


@pytest.mark.urls(__name__)
def test_500_is_in_the_site_layout(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _in_layout(response, "Something went wrong")
    assert "a bug" not in html


def test_500_renders_without_request_context_or_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert '<header class="site-header">' in response.content.decode()
