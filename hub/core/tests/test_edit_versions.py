"""Every edit page posts back the version it was opened on; without it nothing is overwritten.

Each case posts the page's own form as the page shows it (so a new field needs no change here),
once without `version`, once with a garbled one, and once as shown: only the last one saves.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.partnerships.factories import make_partnership

pytestmark = pytest.mark.django_db


def _posted(value: Any) -> Any:
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _as_shown(context) -> dict[str, Any]:
    """The data a browser would post for the page's form (and formset) as rendered."""
    data: dict[str, Any] = {}
    forms = [context["form"]]
    formset = context.get("formset")
    if formset is not None:
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = _posted(field.value())
            if value is not None and not hasattr(field.field, "allow_empty_file"):
                data[field.html_name] = value
    return data


@dataclass
class Edit:
    make: Any  # (affiliate, editor) -> record
    url: str  # URL name; takes the record's pk
    change: dict[str, str]  # what the post changes
    changed: Any  # record -> whether the change was saved


EDITS = {
    "partnership": Edit(
        lambda a, e: make_partnership(lead=a, title="Before"),
        "partnerships:edit",
        {"title": "After"},
        lambda r: r.title == "After",
    ),
    "partnership end": Edit(
        lambda a, e: make_partnership(lead=a, title="Before"),
        "partnerships:end",
        {"status": "completed", "reason": "Done."},
        lambda r: r.status == "completed",
    ),
    "contribution": Edit(
        lambda a, e: make_contribution(receiving_organization=a, actor=e, donor_name="Before"),
        "funding:contribution_edit",
        {"donor_name": "After"},
        lambda r: r.donor_name == "After",
    ),
    "grant": Edit(
        lambda a, e: make_grant(recipient=a, actor=e, title="Before"),
        "funding:grant_edit",
        {"title": "After"},
        lambda r: r.title == "After",
    ),
    "valuation rate": Edit(
        lambda a, e: make_rate(organization=a, actor=e, note="Before"),
        "funding:rate_edit",
        {"note": "After"},
        lambda r: r.note == "After",
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
@pytest.mark.parametrize("version", [None, "", "abc", "1.0", "²", str(2**63)])
def test_an_edit_without_its_version_is_refused_and_saves_nothing(
    name, version, affiliate, editor, client_for
):
    edit = EDITS[name]
    record = edit.make(affiliate, editor)
    url = reverse(edit.url, args=[record.pk])
    client = client_for(editor)
    data = {**_as_shown(client.get(url).context), **edit.change}
    assert data["version"] == str(record.version)
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("“version”" in error for error in errors), errors
    assert "“version”" in response.content.decode()
    record.refresh_from_db()
    assert not edit.changed(record)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edit_with_its_version_saves(name, affiliate, editor, client_for):
    edit = EDITS[name]
    record = edit.make(affiliate, editor)
    url = reverse(edit.url, args=[record.pk])
    client = client_for(editor)
    response = client.post(url, {**_as_shown(client.get(url).context), **edit.change})
    assert response.status_code == 302
    record.refresh_from_db()
    assert edit.changed(record)


def test_a_create_form_needs_no_version(affiliate, editor, client_for):
    response = client_for(editor).post(
        reverse("funding:rate_list", args=[affiliate.pk]),
        {
            "category": "catering",
            "unit": "persons",
            "amount": "12",
            "currency": "EUR",
            "valid_from": "2024-01-01",
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize("version", [None, "x"])
def test_archiving_without_the_version_is_refused(version, affiliate, editor, client_for):
    record = make_contribution(receiving_organization=affiliate, actor=editor)
    data = {} if version is None else {"version": version}
    client = client_for(editor)
    response = client.post(
        reverse("funding:contribution_archive", args=[record.pk]), data, follow=True
    )
    assert "“version”" in response.content.decode()
    record.refresh_from_db()
    assert not record.archived
