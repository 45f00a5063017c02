from django.urls import reverse

from hub.accounts.models import Membership
from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Organization, Person


def setup(world):
    world.objects["alliance"] = OrganizationFactory(name="Test Hub", kind=Organization.Kind.HUB)
    world.objects["library"] = OrganizationFactory(
        name="Test Library", kind=Organization.Kind.LIBRARY
    )
    world.objects["person"] = Person.objects.create(
        organization=world.objects["library"],
        steward=world.affiliate,
        name="Ada Contact",
        consent_note="Agreed by e-mail",
    )
    world.objects["library_copy"] = OrganizationFactory(
        name="The Test Library GmbH", kind=Organization.Kind.LIBRARY
    )
    world.objects["viewer_membership"] = Membership.objects.get(user=world.users["viewer"])


MOVEMENT_EDITORS = {"anonymous": SIGN_IN, "viewer": 403}
CONTACT_KEEPERS = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}
# Export and erasure: managers of the keeping organization and staff; its other members see the
# contact (403), everyone else does not (404).
CONTACT_MANAGERS = {**CONTACT_KEEPERS, "editor": 403}
# An organization's members pages (hub/directory/members.py): its members read, its managers change.
MANAGERS_ONLY = {"anonymous": SIGN_IN, "viewer": 403, "editor": 403, "outsider": 404}

CASES = {
    "members:list": Case(
        lambda w: reverse("members:list", args=[w.affiliate.pk]),
        {"anonymous": SIGN_IN, "outsider": 404},
        default=200,
    ),
    "members:role": Case(
        lambda w: reverse("members:role", args=[w.viewer_membership.pk]),
        MANAGERS_ONLY,
        default=302,
        method="post",
        data=lambda w: {"role": "editor"},
    ),
    "members:remove": Case(
        lambda w: reverse("members:remove", args=[w.viewer_membership.pk]),
        MANAGERS_ONLY,
        default=302,
        method="post",
    ),
    # Who may merge is who may change both organizations' facts: any editor for two external ones.
    "directory:duplicates": Case(
        lambda w: reverse("directory:duplicates"), MOVEMENT_EDITORS, default=200
    ),
    "directory:merge": Case(
        lambda w: reverse("directory:merge", args=[w.library.pk, w.library_copy.pk]),
        MOVEMENT_EDITORS,
        default=200,
    ),
    "directory:list": Case(lambda w: reverse("directory:list"), everyone(200)),
    "directory:export": Case(lambda w: reverse("directory:export") + "?format=csv", everyone(200)),
    "directory:create": Case(lambda w: reverse("directory:create"), MOVEMENT_EDITORS, default=200),
    "directory:organization": Case(
        lambda w: reverse("directory:organization", args=[w.affiliate.pk]), everyone(200)
    ),
    "directory:history": Case(
        lambda w: reverse("directory:history", args=[w.affiliate.pk]), everyone(200)
    ),
    "directory:edit": Case(
        lambda w: reverse("directory:edit", args=[w.affiliate.pk]),
        {"anonymous": SIGN_IN, "manager": 200, "staff": 200},
        default=403,
    ),
    "directory:member_add": Case(
        lambda w: reverse("directory:member_add", args=[w.alliance.pk]),
        {"anonymous": SIGN_IN, "staff": 302},
        default=403,
        method="post",
        data=lambda w: {"member": f"#{w.affiliate.pk}", "role": "member"},
    ),
    "directory:person_create": Case(
        lambda w: reverse("directory:person_create", args=[w.library.pk]),
        {**MOVEMENT_EDITORS, "staff": 403},
        default=200,
    ),
    "directory:person_edit": Case(
        lambda w: reverse("directory:person_edit", args=[w.person.pk]), CONTACT_KEEPERS, default=200
    ),
    "directory:person_archive": Case(
        lambda w: reverse("directory:person_archive", args=[w.person.pk]),
        CONTACT_KEEPERS,
        default=302,
        method="post",
    ),
    "directory:person_history": Case(
        lambda w: reverse("directory:person_history", args=[w.person.pk]),
        {"anonymous": SIGN_IN, "outsider": 404},
        default=200,
    ),
    "directory:person_export": Case(
        lambda w: reverse("directory:person_export", args=[w.person.pk, "csv"]),
        CONTACT_MANAGERS,
        default=200,
    ),
    "directory:person_erase": Case(
        lambda w: reverse("directory:person_erase", args=[w.person.pk]),
        CONTACT_MANAGERS,
        default=200,
    ),
}
