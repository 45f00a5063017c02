"""The agreement pages in the permission matrix (hub/lifecycle/tests/matrix.py gathers them)."""

from django.urls import reverse

from hub.core.testing import officefiles
from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.lifecycle.agreements import services
from hub.lifecycle.factories_agreements import make_agreement
from hub.partnerships.factories import make_partnership


def setup(world):
    partner = OrganizationFactory(name="Agreement Museum")
    partnership = make_partnership(
        lead=world.affiliate, partners=[partner], title="Agreed", visibility="public"
    )
    agreement = make_agreement(
        partnership,
        title="Matrix MoU",
        parties=[{"organization": partner, "signatory_name": "Matrix Signatory"}],
    )
    services.agreement_file_add(
        actor=world.users["staff"],
        agreement=agreement,
        file=officefiles.upload("matrix.pdf", officefiles.PDF),
    )
    world.objects["agreement"] = agreement


def _agreement(name, *extra):
    return lambda w: reverse(
        f"lifecycle:{name}", args=[w.agreement.partnership_id, w.agreement.pk, *extra]
    )


# Editors of the partnership change its agreements; its viewers and outsiders may not.
EDIT = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 403}
# Details (the signed file) for the participants' members and staff only; nobody else learns more.
DETAILS = {"anonymous": 404, "outsider": 404}

CASES = {
    "lifecycle:agreement_list": Case(
        lambda w: reverse("lifecycle:agreement_list", args=[w.agreement.partnership_id]),
        everyone(200),
    ),
    "lifecycle:agreement_create": Case(
        lambda w: reverse("lifecycle:agreement_create", args=[w.agreement.partnership_id]),
        EDIT,
        default=200,
    ),
    "lifecycle:agreement_detail": Case(_agreement("agreement_detail"), everyone(200)),
    "lifecycle:agreement_edit": Case(_agreement("agreement_edit"), EDIT, default=200),
    "lifecycle:agreement_history": Case(_agreement("agreement_history"), everyone(200)),
    "lifecycle:agreement_file_upload": Case(_agreement("agreement_file_upload"), EDIT, default=200),
    "lifecycle:agreement_file_download": Case(
        _agreement("agreement_file_download", 1), DETAILS, default=200
    ),
    "lifecycle:agreement_export": Case(
        lambda w: reverse("lifecycle:agreement_export"), everyone(200)
    ),
}
