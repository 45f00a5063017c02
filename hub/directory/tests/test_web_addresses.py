"""An organization's website: http(s) only on every way in, and never a link when it is not one."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from hub.accounts.system import system_actor
from hub.core.weburl import MESSAGE
from hub.directory import services
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization
from hub.directory.reference import load_reference

pytestmark = pytest.mark.django_db

HOSTILE = "javascript://x%0aalert(document.cookie)"


def _form(**overrides):
    return {"name": "Regional Archive", "kind": "archive", "status": "active", **overrides}


@pytest.mark.parametrize(
    "website",
    [HOSTILE, "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", "java\tscript:x"],
)
def test_the_form_refuses_a_website_that_is_not_http_and_names_the_field(
    client_for, editor, website
):
    response = client_for(editor).post(reverse("directory:create"), _form(website=website))
    assert response.status_code == 200
    assert response.context["form"].errors == {"website": [str(MESSAGE)]}
    assert not Organization.objects.filter(name="Regional Archive").exists()


def test_the_form_completes_a_bare_host_with_https(client_for, editor):
    response = client_for(editor).post(reverse("directory:create"), _form(website="archive.at"))
    assert response.status_code == 302
    assert Organization.objects.get(name="Regional Archive").website == "https://archive.at"


def test_the_service_refuses_it_for_every_caller_the_reference_loader_included():
    with pytest.raises(ValidationError) as refused:
        services.organization_create(
            actor=system_actor(), name="X", kind="museum", status="active", website=HOSTILE
        )
    assert refused.value.message_dict == {"website": [str(MESSAGE)]}
    org = OrganizationFactory(website="https://ok.example")
    with pytest.raises(ValidationError):
        services.organization_update(actor=system_actor(), organization=org, website="vbscript:x")
    org.refresh_from_db()
    assert org.website == "https://ok.example"


def test_a_stored_website_that_is_no_web_address_is_shown_as_text(client):
    org = OrganizationFactory()
    Organization.objects.filter(pk=org.pk).update(website=HOSTILE)  # stored before the rule
    page = client.get(reverse("directory:organization", args=[org.pk])).content.decode()
    assert f"<dd>{HOSTILE}</dd>" in page
    assert 'href="javascript' not in page.lower()
    Organization.objects.filter(pk=org.pk).update(website="https://museum.example/")
    page = client.get(reverse("directory:organization", args=[org.pk])).content.decode()
    assert '<a href="https://museum.example/" rel="noopener nofollow">' in page


def test_the_migration_completes_bare_hosts_and_leaves_the_rest_unlinked():
    migration = importlib.import_module("hub.directory.migrations.0003_website_web_address")
    values = {
        "wikimedia.at": "https://wikimedia.at",
        "wmza.org / wikimedia.org.za": "https://wmza.org",
        "https://ok.example": "https://ok.example",
        HOSTILE: HOSTILE,
        "not a host at all!": "not a host at all!",
    }
    orgs = {}
    for before in values:
        org = OrganizationFactory()
        Organization.objects.filter(pk=org.pk).update(website=before)
        orgs[before] = org.pk
    migration.complete_websites(apps, None)
    stored = dict(Organization.objects.filter(pk__in=orgs.values()).values_list("pk", "website"))
    assert {before: stored[pk] for before, pk in orgs.items()} == values


def test_the_reference_data_holds_web_addresses_only():
    load_reference()
    websites = Organization.objects.exclude(website="").values_list("website", flat=True)
    assert websites
    for website in websites:
        Organization._meta.get_field("website").clean(website, None)
