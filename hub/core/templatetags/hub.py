"""Template helpers that keep Codex markup in one place."""

from django import forms, template
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from hub.core.choosers import pick_links as _pick_links
from hub.core.weburl import is_web_url

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
    if kind == "choices":
        control = ""
    elif kind == "select" and not isinstance(bound.field.widget, forms.SelectMultiple):
        control = _select(bound, widget_attrs)
    else:
        control = bound.as_widget(attrs=widget_attrs)
    # A chooser's candidates after an ambiguous post, as radio buttons under it; filter forms
    # (`picks_as_links`) offer them as links beside the results instead.
    candidates = getattr(bound.field, "candidates", None)
    if getattr(bound.form, "picks_as_links", False):
        candidates = None
    return {"f": bound, "kind": kind, "control": control, "candidates": candidates}


def _select(bound: forms.BoundField, attrs: dict[str, str | bool]) -> str:
    """A <select> built directly: Django renders each option through a template, and for the 249
    countries of a filter form that costs more than the rest of the page."""
    current = bound.value()
    chosen = (
        {str(v) for v in current} if isinstance(current, list | tuple) else {str(current or "")}
    )
    merged = {**bound.field.widget.attrs, **attrs, "name": bound.html_name, "id": bound.auto_id}
    if bound.field.required and bound.form.use_required_attribute:
        merged["required"] = True
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) in chosen else "", label)
            for value, label in getattr(bound.field, "choices", [])
        ),
    )
    return format_html("<select{}>{}</select>", flatatt(merged), options)


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


@register.simple_tag
def web_link(address, text=None) -> SafeString:
    """A link to a stored web address, or the address as plain text when it is not an http(s)
    address (a row stored before the rule): the only way our templates make an `href` of one."""
    text = address if text is None else text
    if is_web_url(address):
        return format_html('<a href="{}" rel="noopener nofollow">{}</a>', address, text)
    return format_html("{}", text)


def nav_current(path: str, url: str) -> str:
    """The `aria-current` value of a navigation link to `url` seen from `path`: "page" on its own
    page, "true" on a page of its section (below it), "" elsewhere."""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, css_class: str = "") -> SafeString:
    """A link of the site's navigation, marked with `aria-current` when the page is in its part."""
    url = reverse(url_name)
    request = context.get("request")
    current = nav_current(request.path, url) if request is not None else ""
    return format_html(
        '<a href="{}"{}{}>{}</a>',
        url,
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-current="{}"', current) if current else "",
        label,
    )


@register.inclusion_tag("core/chooser_links.html")
def pick_links(form: forms.BaseForm):
    """A filter form's ambiguous choosers, each candidate a link to the same page with it chosen."""
    return {"picks": _pick_links(form)}
