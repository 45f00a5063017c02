from django.urls import reverse

from hub.accounts.models import Invitation, Membership
from hub.core.testing.matrix import SIGN_IN, Case, everyone


def setup(world):
    world.objects["viewer_membership"] = Membership.objects.get(user=world.users["viewer"])
    world.objects["invitation"] = Invitation.objects.create(
        organization=world.affiliate, email="new@example.org", role="viewer", token="tok-123"
    )


# A user's data pages: the user themself (the viewer here) and staff; nobody else learns of them.
OWN_DATA = {"anonymous": SIGN_IN, "editor": 404, "manager": 404, "outsider": 404}
MANAGERS_ONLY = {"anonymous": SIGN_IN, "viewer": 403, "editor": 403, "outsider": 404}

CASES = {
    "accounts:login": Case(lambda w: reverse("accounts:login"), everyone(200)),
    "accounts:logout": Case(lambda w: reverse("accounts:logout"), everyone(302), method="post"),
    "accounts:password_reset": Case(lambda w: reverse("accounts:password_reset"), everyone(200)),
    "accounts:password_reset_done": Case(
        lambda w: reverse("accounts:password_reset_done"), everyone(200)
    ),
    "accounts:password_reset_confirm": Case(
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]),
        everyone(200),
    ),
    "accounts:account": Case(
        lambda w: reverse("accounts:account"), {"anonymous": SIGN_IN}, default=200
    ),
    "accounts:members": Case(
        lambda w: reverse("accounts:members", args=[w.affiliate.pk]),
        {"anonymous": SIGN_IN, "outsider": 404},
        default=200,
    ),
    "accounts:membership_role": Case(
        lambda w: reverse("accounts:membership_role", args=[w.viewer_membership.pk]),
        MANAGERS_ONLY,
        default=302,
        method="post",
        data=lambda w: {"role": "editor"},
    ),
    "accounts:membership_remove": Case(
        lambda w: reverse("accounts:membership_remove", args=[w.viewer_membership.pk]),
        MANAGERS_ONLY,
        default=302,
        method="post",
    ),
    "accounts:accept": Case(lambda w: reverse("accounts:accept", args=["tok-123"]), everyone(200)),
    "accounts:user_export": Case(
        lambda w: reverse("accounts:user_export", args=[w.users["viewer"].pk, "csv"]),
        OWN_DATA,
        default=200,
    ),
    "accounts:user_erase": Case(
        lambda w: reverse("accounts:user_erase", args=[w.users["viewer"].pk]),
        {**OWN_DATA, "viewer": 403},
        default=200,
    ),
}
