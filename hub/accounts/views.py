"""Account pages: the user's own page, organization members, invitations."""

from typing import cast

from allauth.mfa.utils import is_mfa_enabled
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

from hub.accounts import privacy, services
from hub.accounts.forms import InviteForm, RoleForm, SignUpForm
from hub.accounts.models import Invitation, Membership, User
from hub.accounts.permissions import can_manage
from hub.core.privacy import EXPORT_FORMATS, export_response
from hub.directory.models import Organization


def get_managed_organization_for(user, pk: int) -> Organization:
    """Members pages are for the organization's members (404 for others); changes for managers."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise Http404
    if not (
        user.is_staff or Membership.objects.filter(user=user, organization=organization).exists()
    ):
        raise Http404
    return organization


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # @login_required
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "mfa_enabled": is_mfa_enabled(user)},
    )


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_managed_organization_for(request.user, pk)
    manager = can_manage(request.user, organization)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            services.invitation_create(
                actor=request.user, organization=organization, **form.cleaned_data
            )
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:members", pk=pk)
    return render(
        request,
        "directory/organization_members.html",
        {
            "organization": organization,
            "memberships": organization.user_memberships.select_related("user"),
            "invitations": organization.invitations.pending(),
            "form": form,
            "can_manage": manager,
            "role_form": RoleForm(),
        },
    )


def _membership_for_manager(user, pk: int) -> Membership:
    membership = Membership.objects.select_related("organization", "user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    get_managed_organization_for(user, membership.organization_id)
    if not can_manage(user, membership.organization):
        raise PermissionDenied
    return membership


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_manager(request.user, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set(
                actor=request.user,
                organization=membership.organization,
                user=membership.user,
                role=form.cleaned_data["role"],
            )
            messages.success(request, _("Role changed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("accounts:members", pk=membership.organization_id)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_for_manager(request.user, pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, _("Member removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:members", pk=membership.organization_id)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """What allauth answers when its rate limits refuse a request (ROOT_URLCONF's handler429)."""
    return render(request, "429.html", {"minutes": settings.THROTTLE_MINUTES}, status=429)


def old_password_reset_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Links mailed before sign-in moved to django-allauth no longer work: ask for a new one."""
    messages.warning(
        request, _("This password reset link is no longer valid. Ask for a new one here.")
    )
    return redirect("accounts:password_reset")


def _get_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise Http404
    return invitation


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _get_invitation(token)
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
    context |= {"form": form, "login_url": reverse("accounts:login") + f"?next={request.path}"}
    return render(request, "accounts/accept.html", context)


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


def get_user_for(actor, pk: int) -> User:
    """A user's own data pages are theirs and the administrators' (404 for everyone else)."""
    user = User.objects.filter(pk=pk).first()
    if user is None or not (actor.is_staff or actor.pk == user.pk):
        raise Http404
    return user


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
