"""The in-kind figures behind the infographic: aggregates, conversion and their cache."""

from django.core.cache import cache

GENERATION_KEY = "funding:figures:generation"


def generation() -> int:
    """A number that changes whenever contributions or rates change; part of every cache key."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
