"""An organization's members page: who belongs with which role, open invitations, and the
managers' changes (invite, change a role, remove). Memberships are hub.accounts' data; deciding
who may see and change them is the organization's, so the pages live here (accounts imports no
directory code)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.accounts.forms import InviteForm, RoleForm
from hub.directory import services
from hub.directory.access import get_managed_organization_for, get_membership_for
from hub.directory.models import Organization


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_managed_organization_for(request.user, pk, edit=request.method == "POST")
    manager = Organization.objects.managed_by(request.user).filter(pk=pk).exists()
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            actor=request.user, organization=organization, **form.cleaned_data
        )
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
        return redirect("members:list", pk=pk)
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


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for(request.user, pk, edit=True)
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
    return redirect("members:list", pk=membership.organization_id)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for(request.user, pk, edit=True)
    try:
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, _("Member removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("members:list", pk=membership.organization_id)
