"""The permission matrix: every URL of the hub, every persona, the status each must get.

Each app lists its URLs in `hub/<app>/tests/matrix.py` as `CASES = {url_name: Case(...)}` and may add
objects to the shared world with `def setup(world): ...`. hub/core/tests/test_permission_matrix.py
fails for any URL name that has no case.
"""

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

PERSONAS = ("anonymous", "viewer", "editor", "manager", "outsider", "staff")


@dataclass
class World:
    """Objects the cases refer to. Apps add theirs as attributes in their `setup(world)`."""

    users: dict[str, Any]
    affiliate: Any
    other_affiliate: Any
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass
class Case:
    """How to call one URL and what each persona gets.

    `url` builds the path from the world. `expect` maps a persona to a status, or to a tuple of
    acceptable statuses; `default` covers personas not named. Redirects to sign-in count as 302.
    """

    url: Callable[[World], str]
    expect: Mapping[str, int | tuple[int, ...]]
    default: int | tuple[int, ...] | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def expected(self, persona: str) -> tuple[int, ...]:
        value = self.expect.get(persona, self.default)
        if value is None:
            raise KeyError(f"no expected status for {persona}")
        return value if isinstance(value, tuple) else (value,)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


SIGN_IN = 302


HUB = Path(__file__).resolve().parents[2]


def matrix_modules() -> Iterator[ModuleType]:
    for path in sorted(HUB.glob("*/tests/matrix.py")):
        yield importlib.import_module(f"hub.{path.parent.parent.name}.tests.matrix")


def all_cases() -> dict[str, Case]:
    """Every app's cases by URL name (a name in two apps' matrices is an error)."""
    cases: dict[str, Case] = {}
    for module in matrix_modules():
        for name, case in module.CASES.items():
            if name in cases:
                raise ValueError(f"{name} is in two matrix modules")
            cases[name] = case
    return cases


def build_world() -> World:
    """The shared world: two affiliates, one user per persona, and every app's `setup(world)`."""
    from hub.accounts.factories import MembershipFactory, UserFactory
    from hub.directory.factories import AffiliateFactory

    affiliate = AffiliateFactory(name="Wikimedia Testland", short_code="WMTL")
    other = AffiliateFactory(name="Wikimedia Otherland", short_code="WMOL")
    users: dict[str, Any] = {
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
    for module in matrix_modules():
        if hasattr(module, "setup"):
            module.setup(built)
    return built
