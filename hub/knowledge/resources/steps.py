"""The resource library on each lifecycle step (registered with hub.lifecycle.steps.extensions):
the resources tagged with the step's preset key that the reader may see, and, on a formal-agreement
step, the document templates of the agreements work the reader may use."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from hub.knowledge.choices import Facet
from hub.knowledge.resources.models import Resource, ResourceTag
from hub.lifecycle.documents.access import templates_visible_to
from hub.lifecycle.documents.shipped.registry import ensure_shipped_templates
from hub.lifecycle.steps.extensions import StepItem
from hub.lifecycle.steps.presets import AGREEMENT, PRESETS

# The preset steps past which a signed agreement is expected: where document templates belong.
AGREEMENT_KEYS = frozenset(
    step.key for preset in PRESETS.values() for step in preset.steps if step.milestone == AGREEMENT
)


def _note(resource: Resource) -> str:
    parts = [resource.get_kind_display(), resource.get_language_display()]
    if resource.needs_review:
        parts.append(_("due for review"))
    return " · ".join(str(p) for p in parts)


def template_items(user, language: str = "") -> list[StepItem]:
    ensure_shipped_templates()
    templates = templates_visible_to(user).select_related("organization")
    if language:
        templates = templates.filter(language=language)
    return [
        StepItem(
            title=template.name,
            url=template.get_absolute_url(),
            note=" · ".join(
                str(p)
                for p in (
                    _("Document template"),
                    template.get_language_display(),
                    template.organization.name if template.organization else _("shipped"),
                )
            ),
            language=template.language,
        )
        for template in templates.order_by("kind", "language", "name")
    ]


def step_resources(user, steps: Sequence) -> dict[int, list[StepItem]]:
    keys = {step.key for step in steps if step.key}
    found: dict[int, list[StepItem]] = {step.pk: [] for step in steps}
    by_key: dict[str, list[StepItem]] = {}
    if keys:
        tags = (
            ResourceTag.objects.filter(
                facet=Facet.STEP,
                value__in=keys,
                resource__in=Resource.objects.visible_to(user).values("pk"),
            )
            .select_related("resource")
            .order_by("resource__title", "resource__pk")
        )
        for tag in tags:
            resource = tag.resource
            by_key.setdefault(tag.value, []).append(
                StepItem(
                    resource.title, resource.get_absolute_url(), _note(resource), resource.language
                )
            )
    templates: list[StepItem] | None = None
    for step in steps:
        found[step.pk].extend(by_key.get(step.key, []) if step.key else [])
        if step.milestone == AGREEMENT or (not step.milestone and step.key in AGREEMENT_KEYS):
            if templates is None:
                templates = template_items(user)
            found[step.pk].extend(templates)
    return found


def library_url(step_key: str) -> str:
    return reverse("knowledge:resource_list") + f"?step={step_key}"
