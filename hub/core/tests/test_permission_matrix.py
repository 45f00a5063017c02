"""Every URL against every persona (CONVENTIONS: a URL missing from the matrix fails this test)."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from hub.accounts.factories import MembershipFactory, UserFactory
from hub.core.testing.matrix import PERSONAS, Case, World
from hub.directory.factories import AffiliateFactory

HUB = Path(__file__).resolve().parents[2]
# URLs that belong to Django itself, not to the hub.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "django.contrib.staticfiles.views.serve"}


def _matrix_modules():
    for path in sorted(HUB.glob("*/tests/matrix.py")):
        yield importlib.import_module(f"hub.{path.parent.parent.name}.tests.matrix")


def _all_cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for module in _matrix_modules():
        for name, case in module.CASES.items():
            assert name not in cases, f"{name} is in two matrix modules"
            cases[name] = case
    return cases


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


CASES = _all_cases()


def test_every_url_has_a_matrix_entry():
    missing = sorted(_url_names() - set(CASES))
    assert not missing, f"URLs without a permission-matrix entry: {missing}"


def test_matrix_has_no_stale_entries():
    stale = sorted(set(CASES) - _url_names())
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    affiliate = AffiliateFactory(name="Wikimedia Testland", short_code="WMTL")
    other = AffiliateFactory(name="Wikimedia Otherland", short_code="WMOL")
    users = {
        "anonymous": None,
        "staff": UserFactory(username="staff", is_staff=True, is_superuser=True),
    }
    for role in ("viewer", "editor", "manager"):
        users[role] = MembershipFactory(
            organization=affiliate, role=role, user=UserFactory(username=role)
        ).user
    users["outsider"] = MembershipFactory(
        organization=other, role="manager", user=UserFactory(username="outsider")
    ).user
    built = World(users=users, affiliate=affiliate, other_affiliate=other)
    for module in _matrix_modules():
        if hasattr(module, "setup"):
            module.setup(built)
    return built


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
