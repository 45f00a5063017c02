"""Template helpers of the mapping pages."""

from collections.abc import Iterable
from html import escape

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from hub.partnerships.models import Theme

register = template.Library()


def _options(choices: Iterable[tuple[object, object]], chosen: set[str]) -> SafeString:
    # Django's widget renders each option through a template, and format_html() escapes through
    # several layers: for 249 countries and 600 themes both cost more than the rest of the page.
    parts = []
    for value, label in choices:
        text = str(value)
        selected = " selected" if text in chosen else ""
        parts.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


@register.simple_tag
def select_options(bound: forms.BoundField) -> SafeString:
    """The <option> elements of a choice field, built directly."""
    current = bound.value()
    chosen = {str(v) for v in current} if isinstance(current, list) else {str(current or "")}
    return _options(getattr(bound.field, "choices", []), chosen)


@register.simple_tag
def organization_options(bound: forms.BoundField) -> SafeString:
    """The <option> elements of a choice of organizations, its empty choice first, built directly."""
    field = bound.field
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a template error otherwise
    choices: list[tuple[object, object]] = [("", field.empty_label or "")]
    queryset = field.queryset
    rows = queryset.only("pk", "name", "short_code") if queryset is not None else []
    choices += [(obj.pk, field.label_from_instance(obj)) for obj in rows]
    return _options(choices, {str(bound.value() or "")})


@register.simple_tag
def theme_options(bound: forms.BoundField, user) -> SafeString:
    """The <option> elements of the themes of partnerships `user` may see (600 at the benchmark's
    size M), built directly."""
    themes = Theme.objects.visible_to(user).order_by("name").values_list("slug", "name")
    return _options(themes, {str(bound.value() or "")})
