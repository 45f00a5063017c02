import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.funding import services
from hub.funding.factories import make_contribution, make_grant, make_rate


def _funding_setup(world):
    donor = OrganizationFactory(name="Testland Print Shop")
    world.objects["inkind_public"] = make_contribution(
        receiving_organization=world.affiliate, donor_organization=donor
    )
    world.objects["inkind_confidential"] = make_contribution(
        receiving_organization=world.affiliate,
        donor_organization=donor,
        confidential=True,
        evidence_file=ContentFile(b"thank-you letter", name="letter.txt"),
    )
    world.objects["inkind_rate"] = make_rate(organization=world.affiliate)
    grant = make_grant(recipient=world.affiliate, confidential=True, amount=Decimal(1000))
    world.objects["grant_confidential"] = grant
    world.objects["deadline"] = services.deadline_create(
        actor=world.users["staff"],
        grant=grant,
        due_date=datetime.date.today() + datetime.timedelta(days=10),  # noqa: DTZ011
        description="Interim report",
    )


def _secret(name):
    return lambda w: reverse(name, args=[w.inkind_confidential.pk])


def _grant(name):
    return lambda w: reverse(name, args=[w.grant_confidential.pk])


def _deadline(name):
    return lambda w: reverse(name, args=[w.deadline.pk])


SEE_SECRET = {"anonymous": 404, "outsider": 404}
EDIT_SECRET = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}
CREATE = {"anonymous": SIGN_IN, "viewer": 403}
# A POST that succeeds redirects back to the record (302); the refusals are as for editing.
POST_SECRET = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}

CASES = {
    "funding:list": Case(lambda w: reverse("funding:list"), everyone(200)),
    "funding:contribution_create": Case(
        lambda w: reverse("funding:contribution_create"), CREATE, default=200
    ),
    "funding:contribution_export": Case(
        lambda w: reverse("funding:contribution_export") + "?format=csv", everyone(200)
    ),
    "funding:contribution_detail": Case(
        _secret("funding:contribution_detail"), SEE_SECRET, default=200
    ),
    "funding:contribution_edit": Case(
        _secret("funding:contribution_edit"), EDIT_SECRET, default=200
    ),
    "funding:contribution_archive": Case(
        _secret("funding:contribution_archive"), EDIT_SECRET, default=200
    ),
    "funding:contribution_history": Case(
        _secret("funding:contribution_history"), SEE_SECRET, default=200
    ),
    "funding:contribution_evidence": Case(
        _secret("funding:contribution_evidence"), SEE_SECRET, default=200
    ),
    "funding:rate_index": Case(lambda w: reverse("funding:rate_index"), everyone(200)),
    "funding:rate_list": Case(
        lambda w: reverse("funding:rate_list", args=[w.affiliate.pk]), everyone(200)
    ),
    "funding:rate_edit": Case(
        lambda w: reverse("funding:rate_edit", args=[w.inkind_rate.pk]),
        {"anonymous": SIGN_IN, "viewer": 403, "outsider": 403},
        default=200,
    ),
    "funding:rate_delete": Case(
        lambda w: reverse("funding:rate_delete", args=[w.inkind_rate.pk]),
        {"anonymous": SIGN_IN, "viewer": 405, "outsider": 405},
        default=405,
    ),
    "funding:grant_list": Case(lambda w: reverse("funding:grant_list"), everyone(200)),
    "funding:grant_create": Case(lambda w: reverse("funding:grant_create"), CREATE, default=200),
    "funding:grant_due": Case(lambda w: reverse("funding:grant_due"), everyone(200)),
    "funding:grant_export": Case(
        lambda w: reverse("funding:grant_export") + "?format=csv", everyone(200)
    ),
    "funding:grant_detail": Case(_grant("funding:grant_detail"), SEE_SECRET, default=200),
    "funding:grant_edit": Case(_grant("funding:grant_edit"), EDIT_SECRET, default=200),
    "funding:grant_history": Case(_grant("funding:grant_history"), SEE_SECRET, default=200),
    "funding:deadline_create": Case(
        _grant("funding:deadline_create"),
        POST_SECRET,
        default=302,
        method="post",
        data=lambda w: {"due_date": "2031-01-31", "description": "Final report"},
    ),
    "funding:deadline_done": Case(
        _deadline("funding:deadline_done"),
        POST_SECRET,
        default=302,
        method="post",
        data=lambda w: {"done": "1"},
    ),
    "funding:deadline_delete": Case(
        _deadline("funding:deadline_delete"),
        {"anonymous": SIGN_IN, "viewer": 405, "outsider": 405},
        default=405,
    ),
    "funding:currency": Case(lambda w: reverse("funding:currency"), everyone(200)),
    "funding:exchange_rates_upload": Case(
        lambda w: reverse("funding:exchange_rates_upload"),
        {"anonymous": SIGN_IN},
        default=405,
    ),
    "funding:infographic": Case(
        lambda w: reverse("funding:infographic") + f"?organization={w.affiliate.pk}&year=2024",
        everyone(200),
    ),
    "funding:infographic_download": Case(
        lambda w: (
            reverse("funding:infographic_download", args=["svg"])
            + f"?organization={w.affiliate.pk}&year=2024"
        ),
        everyone(200),
    ),
}


def setup(world):
    _funding_setup(world)
