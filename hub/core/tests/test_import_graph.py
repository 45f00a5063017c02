"""Arrows point down: api -> domains -> directory -> accounts -> core (DESIGN.md §3).

The import graph of `hub/` is read with `ast` from every `import` and `from ... import` statement,
at module level and inside functions alike (a late import is still an arrow). Tests, migrations and
the test support in `hub/core/testing/` (which builds every app's records for the permission
matrix) are left out: they may reach anything. The project modules beside the apps (`hub/urls.py`,
`hub/settings.py`) sit above everything.

When this fails, move the code that needs the upper app into the upper app (a template tag, a
service, a registry the upper app fills), rather than adding an entry below.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# The floors, lowest first. An app may import its own floor's modules only where no SIDEWAYS pair
# forbids it, and any floor below. Every app not named here is a domain app (partnerships,
# funding, mapping, and each app still to come), on the domain floor.
FLOORS = {"hub.core": 0, "hub.accounts": 1, "hub.directory": 2, "hub.api": 4}
DOMAIN_FLOOR = 3
PROJECT_FLOOR = 5  # hub.urls, hub.settings, hub.wsgi: they put the apps together
SIDEWAYS = {
    ("hub.partnerships", "hub.funding"): "partnerships is below funding",
    # the import engine serves funding and partnerships; they never call it
    ("hub.partnerships", "hub.imports"): "partnerships is below imports",
    ("hub.funding", "hub.imports"): "funding is below imports",
    # steps, agreements and documents read partnerships and grants; neither reads them
    ("hub.partnerships", "hub.lifecycle"): "partnerships is below lifecycle",
    ("hub.funding", "hub.lifecycle"): "funding is below lifecycle",
    # lessons and the clinic link partnerships and lifecycle steps; neither reads them
    ("hub.partnerships", "hub.knowledge"): "partnerships is below knowledge",
    ("hub.lifecycle", "hub.knowledge"): "lifecycle is below knowledge",
}
# Test support: it builds every app's records on purpose.
LEFT_OUT = ("hub.core.testing",)


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.imported} ({self.why})"


def app_of(module: str) -> str:
    """`hub.partnerships.views` -> `hub.partnerships`; a project module (`hub.urls`) is itself."""
    return ".".join(module.split(".")[:2])


def floor_of(module: str) -> int:
    app = app_of(module)
    if app in FLOORS:
        return FLOORS[app]
    if module == "hub" or not (ROOT / "hub" / app.removeprefix("hub.")).is_dir():
        return PROJECT_FLOOR  # a module beside the apps, not in one
    return DOMAIN_FLOOR


def module_name(path: Path) -> str:
    """The dotted name of a file under ROOT: hub/directory/views.py -> hub.directory.views."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, *, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) of every hub module a parsed file imports, relative imports resolved."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.count(".") < 1:
                # `from hub import partnerships`: the names are the modules
                for alias in node.names:
                    yield node.lineno, f"{source}.{alias.name}"
            else:
                yield node.lineno, source


def offences_in(source: str, path: str) -> list[Offence]:
    """Every import in `source` (the text of the file at `path`, relative to ROOT) that points up."""
    is_package = path.endswith("__init__.py")
    module = module_name(ROOT / path)
    origin = app_of(module)
    if module.startswith(LEFT_OUT):
        return []
    below = floor_of(module)
    found = []
    tree = ast.parse(source, filename=path)
    for line, imported in imported_modules(tree, module, is_package=is_package):
        if not imported.startswith("hub."):
            continue
        target = app_of(imported)
        if target == origin:
            continue
        if floor_of(imported) > below:
            why = f"{origin} may not import {target}: arrows point down"
        elif (origin, target) in SIDEWAYS:
            why = f"{origin} may not import {target}: {SIDEWAYS[origin, target]}"
        else:
            continue
        found.append(Offence(path, line, imported, why))
    return found


def checked_files() -> Iterator[Path]:
    for path in sorted((ROOT / "hub").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
            continue
        yield path


def all_offences() -> list[Offence]:
    found = []
    for path in checked_files():
        found += offences_in(path.read_text(), path.relative_to(ROOT).as_posix())
    return found


def test_arrows_point_down():
    found = all_offences()
    assert not found, "Imports that point up:\n" + "\n".join(map(str, found))


def test_the_check_reads_every_app():
    # a checker that finds no files, or none of an app's, passes for the wrong reason
    apps = {app_of(module_name(path)) for path in checked_files()}
    assert {"hub.core", "hub.accounts", "hub.directory", "hub.partnerships", "hub.api"} <= apps


PLANTED = """\
from django.db import models

from hub.core.models import Visibility
from hub.accounts.models import User


def panel(organization):
    from hub.partnerships.models import Partnership
    from .. import funding
    import hub.api.schemas

    return Partnership, funding, hub.api.schemas
"""


def test_the_check_catches_a_planted_upward_import():
    found = offences_in(PLANTED, "hub/directory/planted.py")
    assert [(o.line, o.imported) for o in found] == [
        (8, "hub.partnerships.models"),
        (9, "hub.funding"),
        (10, "hub.api.schemas"),
    ]
    assert str(found[0]) == (
        "hub/directory/planted.py:8 imports hub.partnerships.models "
        "(hub.directory may not import hub.partnerships: arrows point down)"
    )


def test_the_check_knows_the_sideways_and_lower_floors():
    assert [o.imported for o in offences_in(PLANTED, "hub/api/planted.py")] == []
    sideways = "from hub.funding import services\nfrom hub.mapping import figures\n"
    assert [o.imported for o in offences_in(sideways, "hub/partnerships/planted.py")] == [
        "hub.funding"
    ]
    upward = "from hub.directory.models import Organization\nfrom hub.funding import models\n"
    assert [o.imported for o in offences_in(upward, "hub/accounts/planted.py")] == [
        "hub.directory.models",
        "hub.funding",
    ]
    assert [o.imported for o in offences_in(upward, "hub/core/planted.py")] == [
        "hub.directory.models",
        "hub.funding",
    ]
    assert offences_in(upward, "hub/core/testing/planted.py") == []
    assert offences_in(upward, "hub/urls.py") == []
