"""Pages of currencies: the reporting currency a viewer chooses, the stored exchange rates, and
the ECB file upload (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.funding.exchange_rates import services
from hub.funding.exchange_rates.currency import (
    SESSION_CURRENCY,
    ExchangeRateFileError,
    known_currencies,
    reporting_currency,
)
from hub.funding.exchange_rates.forms import ExchangeRateUploadForm, ReportingCurrencyForm
from hub.funding.exchange_rates.models import ExchangeRate


def currency_choice(request: HttpRequest) -> HttpResponse:
    """Choose the reporting currency (kept in the session) and see the stored exchange rates."""
    currencies = known_currencies()
    form = ReportingCurrencyForm(
        request.POST or None,
        currencies=currencies,
        initial={"currency": reporting_currency(request)},
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_CURRENCY] = form.cleaned_data["currency"]
        messages.success(
            request,
            _("Reports now use %(currency)s.") % {"currency": form.cleaned_data["currency"]},
        )
        next_url = request.POST.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("funding:currency")
    latest = ExchangeRate.objects.aggregate(latest=Max("date"))["latest"]
    rates = ExchangeRate.objects.filter(date=latest).order_by("currency") if latest else []
    return render(
        request,
        "funding/currency.html",
        {
            "form": form,
            "latest": latest,
            "rates": rates,
            "upload": ExchangeRateUploadForm() if request.user.is_staff else None,
        },
    )


@login_required
@require_POST
def exchange_rates_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = ExchangeRateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.exchange_rates_import(
                actor=request.user, file=form.cleaned_data["file"]
            )
        except ExchangeRateFileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)s rates stored (%(first)s to %(last)s).")
                % {"n": result.rates, "first": result.first, "last": result.last},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("funding:currency")
