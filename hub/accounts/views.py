"""Account pages: the user's own page and data, accepting an invitation, sign-in odds and ends.

An organization's members page is the directory's (hub/directory/members.py)."""

from typing import cast

from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.accounts import privacy, services, wikimedia
from hub.accounts.access import get_invitation, get_user_for
from hub.accounts.forms import SignUpForm
from hub.accounts.models import Invitation, Membership, User
from hub.core.privacy import EXPORT_FORMATS, export_response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    memberships = Membership.objects.held_by(user).select_related("organization")
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "mfa_enabled": is_mfa_enabled(user),
            "wikimedia": wikimedia.enabled(),
            "wikimedia_accounts": SocialAccount.objects.filter(
                user=user, provider=wikimedia.PROVIDER
            ),
        },
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """What allauth answers when its rate limits refuse a request (ROOT_URLCONF's handler429)."""
    return render(request, "429.html", {"minutes": settings.THROTTLE_MINUTES}, status=429)


def old_password_reset_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Links mailed before sign-in moved to django-allauth no longer work: ask for a new one."""
    messages.warning(
        request, _("This password reset link is no longer valid. Ask for a new one here.")
    )
    return redirect("accounts:password_reset")


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_invitation(token)
    context: dict = {"invitation": invitation}
    if invitation.is_expired:
        return render(request, "accounts/invitation_expired.html", context, status=410)
    if request.user.is_authenticated:
        if not invitation.is_for(request.user):
            return render(request, "accounts/invitation_other_address.html", context, status=403)
        if request.method == "POST":
            return _join(request, invitation, user=request.user)
        return render(request, "accounts/accept.html", context)
    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        return _join(request, invitation, form=form)
    context |= {
        "form": form,
        "login_url": reverse("accounts:login") + f"?next={request.path}",
        "wikimedia": wikimedia.enabled(),
    }
    return render(request, "accounts/accept.html", context)


@wikimedia.only_when_enabled
@require_POST
def accept_wikimedia(request: HttpRequest, token: str) -> HttpResponse:
    """ "Accept by signing in with Wikimedia": off to the wiki, with the invitation in the sign-in's
    state; back signed in, the account adapter's `post_login` accepts it."""
    invitation = get_invitation(token)
    if invitation.is_expired:
        return render(
            request, "accounts/invitation_expired.html", {"invitation": invitation}, status=410
        )
    provider = get_social_adapter(request).get_provider(request, wikimedia.PROVIDER)
    return provider.redirect(
        request, AuthProcess.LOGIN, data={wikimedia.INVITATION_KEY: invitation.token}
    )


def _join(request: HttpRequest, invitation: Invitation, *, user=None, form=None) -> HttpResponse:
    """Accept for the signed-in user, or for the account the sign-up form creates (kept only if
    accepting succeeds)."""
    try:
        with transaction.atomic():
            if form is not None:
                user = form.save()
            services.invitation_accept(user=user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    if form is not None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request, _("You are now a member of %(org)s.") % {"org": invitation.organization}
    )
    return redirect(invitation.organization)


@login_required
@require_GET
def user_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = get_user_for(request.user, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    export = privacy.user_export(actor=request.user, user=user)
    return export_response(export, fmt, f"user-{user.pk}")


@login_required
def user_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page (GET) says what goes and what stays; the erasure is a POST."""
    user = get_user_for(request.user, pk)
    if not privacy.can_erase_user(request.user, user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            privacy.user_erase(actor=request.user, user=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:user_erase", pk=pk)
        messages.success(request, _("The account's personal data were erased."))
        return redirect("accounts:account")
    return render(request, "accounts/user_erase.html", {"subject": user})
