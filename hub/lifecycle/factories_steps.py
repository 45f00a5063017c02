"""Lifecycles and progress for tests, made through the services as the pages make them."""

from hub.accounts.system import system_actor
from hub.lifecycle.steps import progress, services
from hub.lifecycle.steps.models import Lifecycle, PartnershipProgress, Step
from hub.lifecycle.steps.presets import DEFAULT_PRESET


def make_lifecycle(
    organization, preset: str = DEFAULT_PRESET, *, default: bool = True
) -> Lifecycle:
    return services.lifecycle_adopt(
        actor=system_actor(), organization=organization, preset=preset, default=default
    )


def step_of(lifecycle: Lifecycle, key: str) -> Step:
    return lifecycle.steps.get(key=key)


def start_progress(
    partnership, lifecycle: Lifecycle | None = None, **kwargs
) -> PartnershipProgress:
    return progress.progress_start(
        actor=system_actor(), partnership=partnership, lifecycle=lifecycle, **kwargs
    )
