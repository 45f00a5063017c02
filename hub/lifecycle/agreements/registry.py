"""The registry list's "needs attention" filter and column (hub.partnerships.extensions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.lifecycle.agreements import warnings
from hub.partnerships.extensions import ListExtension


def _field() -> forms.Field:
    return forms.BooleanField(
        label=_("Needs attention"),
        required=False,
        help_text=_("Agreements to sign, complete, renew, or a restricted grant without one."),
    )


NEEDS_ATTENTION = ListExtension(
    name="needs_attention",
    field=_field,
    narrow=lambda qs, user, value: qs.filter(warnings.needs_attention_q(user)),
    annotate=warnings.annotate,
    header=_("Needs attention"),
    cell_template="lifecycle/agreement_attention_cell.html",
    shown=lambda user: user.is_authenticated,
)
