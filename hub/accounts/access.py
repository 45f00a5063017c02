"""Fetching an account's records with permission, for the pages and the API alike: Http404 for
what the user may not see, as in every app's `access.py`."""

from django.http import Http404

from hub.accounts.models import Invitation, User


def get_user_for(actor, pk: int) -> User:
    """A user's own data pages are theirs and the administrators' (404 for everyone else,
    anonymous visitors included)."""
    user = User.objects.filter(pk=pk).first()
    if user is None or not actor.is_authenticated or not (actor.is_staff or actor.pk == user.pk):
        raise Http404
    return user


def get_invitation(token: str) -> Invitation:
    """An invitation by the token of its link (the token is the permission): 404 once used."""
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise Http404
    return invitation
