"""Template helpers of the mapping pages."""

from django import forms, template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def select_options(bound: forms.BoundField):
    """The <option> elements of a choice field, built directly.

    Django's widget renders each option through a template: for the 249 countries that costs more
    than everything else on the page, and the mapping page is drawn on every filter change.
    """
    current = bound.value()
    chosen = {str(v) for v in current} if isinstance(current, list) else {str(current or "")}
    choices: list[tuple[str, str]] = list(getattr(bound.field, "choices", []))
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) in chosen else "", label) for value, label in choices),
    )
