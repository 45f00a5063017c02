"""Template helpers that keep Codex markup in one place."""

from django import forms, template
from django.utils.http import urlencode

register = template.Library()


def _kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_CLASSES = {
    "input": "cdx-text-input__input",
    "select": "cdx-select",
    "textarea": "cdx-text-area__textarea",
    "checkbox": "cdx-checkbox__input",
}


@register.inclusion_tag("core/field.html")
def field(bound: forms.BoundField, **attrs):
    """Render a form field as a Codex field: label, control, help text and its errors, linked by ids."""
    kind = _kind(bound)
    widget_attrs: dict[str, str | bool] = {"class": _CLASSES.get(kind, "")}
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}-help")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
        widget_attrs["aria-invalid"] = "true"
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    widget_attrs.update({k.replace("_", "-"): v for k, v in attrs.items()})
    control = "" if kind == "choices" else bound.as_widget(attrs=widget_attrs)
    return {"f": bound, "kind": kind, "control": control}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with ?page=number, keeping every filter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.simple_tag
def query(**params):
    return urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
