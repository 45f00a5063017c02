"""Pages of valuation rates: public lists; an organization's editors add, correct and remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core.exceptions import StaleVersionError
from hub.core.forms import apply_service_errors
from hub.directory.models import Organization
from hub.funding.common import acts_for, stale_message
from hub.funding.exchange_rates.currency import BASE
from hub.funding.rates import services
from hub.funding.rates.access import get_rate_for
from hub.funding.rates.forms import RateForm
from hub.funding.rates.models import ValuationRate


@require_GET
def rate_index(request: HttpRequest) -> HttpResponse:
    """Organizations that keep rates, and the viewer's own organizations."""
    mine = Organization.objects.member_of(request.user).movement()
    keeping = Organization.objects.filter(
        pk__in=ValuationRate.objects.values("organization_id")
    ).order_by("name")
    return render(
        request, "funding/rate_index.html", {"mine": mine.order_by("name"), "keeping": keeping}
    )


def _organization(pk: int) -> Organization:
    org = Organization.objects.movement().filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def rate_list(request: HttpRequest, organization: int) -> HttpResponse:
    """An organization's rates (public); its editors add rates here."""
    org = _organization(organization)
    can_edit = acts_for(request.user, org)
    form = RateForm(request.POST or None, initial={"currency": BASE})
    if request.method == "POST":
        if not can_edit:
            if not request.user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            try:
                services.rate_create(actor=request.user, organization=org, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Rate added."))
                return redirect("funding:rate_list", organization=org.pk)
    rates = ValuationRate.objects.filter(organization=org).order_by(
        "category", "unit", "-valid_from"
    )
    return render(
        request,
        "funding/rate_list.html",
        {"organization": org, "rates": rates, "form": form, "can_edit": can_edit},
    )


@login_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_rate_for(request.user, pk, edit=True)
    form = RateForm(
        request.POST or None,
        initial={
            **{name: getattr(rate, name) for name in RateForm.base_fields if name != "version"},
            "version": rate.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.rate_update(actor=request.user, rate=rate, expected_version=version, **data)
        except StaleVersionError:
            form.add_error(None, stale_message())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Rate saved."))
            return redirect("funding:rate_list", organization=rate.organization_id)
    return render(
        request,
        "funding/rate_form.html",
        {"form": form, "rate": rate, "used": rate.contributions.count()},
    )


@login_required
@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_rate_for(request.user, pk, edit=True)
    try:
        services.rate_delete(actor=request.user, rate=rate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rate removed."))
    return redirect("funding:rate_list", organization=rate.organization_id)
