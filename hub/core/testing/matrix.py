"""The permission matrix: every URL of the hub, every persona, the status each must get.

Each app lists its URLs in `hub/<app>/tests/matrix.py` as `CASES = {url_name: Case(...)}` and may add
objects to the shared world with `def setup(world): ...`. hub/core/tests/test_permission_matrix.py
fails for any URL name that has no case.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
