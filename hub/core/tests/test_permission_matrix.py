"""Every URL against every persona (CONVENTIONS: a URL missing from the matrix fails this test)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hub.core.testing.matrix import PERSONAS, all_cases, build_world

# URLs that belong to Django itself, not to the hub.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "django.contrib.staticfiles.views.serve"}


def _url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXEMPT_NAMESPACES:
                continue
            names |= _url_names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names - EXEMPT_NAMES


CASES = all_cases()


def test_every_url_has_a_matrix_entry():
    missing = sorted(_url_names() - set(CASES))
    assert not missing, f"URLs without a permission-matrix entry: {missing}"


def test_matrix_has_no_stale_entries():
    stale = sorted(set(CASES) - _url_names())
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_persona_gets_expected_status(name, persona, world, client_for):
    case = CASES[name]
    client = client_for(world.users[persona])
    url = case.url(world)
    call = getattr(client, case.method)
    kwargs = {"headers": case.headers} if case.headers else {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
    if case.content_type:
        kwargs["content_type"] = case.content_type
    response = call(url, **kwargs)
    assert response.status_code in case.expected(persona), (
        f"{persona} {case.method.upper()} {url}: got {response.status_code}, "
        f"expected {case.expected(persona)}"
    )
