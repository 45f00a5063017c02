"""Hostile query strings on every page, export and API list: never a 500, always a whole body.

The URLs come from the permission matrix: every GET the hub answers that does not name one record
(lists, exports, charts, forms to fill in, the API's lists), so a new list is covered as soon as
it has its matrix entry. The parameter names from the hub's forms, the OpenAPI document
and the names the views read from `request.GET`, plus a few nobody knows. Values are what breaks
parsers: numbers past 2**63, negative, decimal and exponent forms, other scripts' digits, NUL
bytes, very long strings, impossible dates, and ordinary text.
"""

import base64
import csv
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django import forms
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hub.api.api import api
from hub.api.endpoints import contributions, directory, grants, partnerships, rates
from hub.api.pagination import Ordering
from hub.core.tests.test_permission_matrix import CASES, world  # noqa: F401 (the matrix's fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.db_only]

HUB = Path(__file__).resolve().parents[2]
GETS = sorted(name for name, case in CASES.items() if case.method == "get")
# Path arguments that name one record: such pages are not lists.
RECORD_ARGUMENTS = {"pk", "id", "token", "uidb64"}


def _list_urls(built) -> list[str]:
    urls = []
    for name in GETS:
        path = CASES[name].url(built).split("?")[0]
        if not RECORD_ARGUMENTS & set(resolve(path).kwargs):
            urls.append(path)
    return urls


def _form_fields() -> set[str]:
    names: set[str] = set()
    todo = list(forms.BaseForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo += form.__subclasses__()
        if form.__module__.startswith("hub."):
            names |= set(getattr(form, "base_fields", {}))
    return names


def _openapi_query_names() -> set[str]:
    document = api.get_openapi_schema()
    return {
        parameter["name"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }


def _names_views_read() -> set[str]:
    pattern = re.compile(r"""\bGET(?:\.get|\.getlist)?[(\[]\s*["']([\w-]+)["']""")
    return {
        name
        for path in HUB.glob("*/*.py")
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }


KNOWN = sorted(_form_fields() | _openapi_query_names() | _names_views_read())
PARAMETERS = [*KNOWN, *(f"b-{name}" for name in KNOWN)]

HOSTILE = [
    str(2**63),
    str(2**63 - 1),
    str(2**64 + 1),
    "-1",
    "0",
    str(-(2**63) - 1),
    "1.5",
    "1e9999",
    "-1e-9999",
    "NaN",
    "inf",
    "0x10",
    "١٢",
    "²",
    "𝟙𝟚",
    "1\x00",
    "\x00",
    "9" * 400,
    "9" * 5000,
    "2024-02-30",
    "9999-12-31",
    "0000-00-00",
    "-0001-01-01",
    "12:00",
    "%",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "=HYPERLINK(1)",
    "csv",
    "xlsx",
    "ods",
    "on",
    "yes",
    "1",
    "2016",
    "active",
    "-start",
    "\ud7ff\ufffd",
    " 7 ",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))


def _orderings() -> list[str]:
    """The names of every ordering the API's lists page by: cursors name one of them."""
    found = set()
    for module in (contributions, directory, grants, partnerships, rates):
        for value in vars(module).values():
            items = value.values() if isinstance(value, dict) else [value]
            found |= {item.name for item in items if isinstance(item, Ordering)}
    return sorted(found)


def _cursor(parts: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


# Cursors are opaque to clients, but a client can write any: well-formed ones with hostile values.
CURSOR_VALUES = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
            "2020-01-01T00:00:00",
            "2020-02-30",
            "1e999999",
            "-1e-999999",
            "NaN",
            "9" * 60,
            "a\x00b",
        ]
    ),
    st.text(max_size=20),
    st.integers(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
CURSOR_IDS = st.one_of(st.integers(), st.sampled_from([2**62, 2**63, -(2**63)]))
CURSORS = st.builds(
    lambda name, value, pk: _cursor([name, value, pk]),
    st.sampled_from(_orderings()),
    CURSOR_VALUES,
    CURSOR_IDS,
)
# Each known parameter present or not, with one to three values; then some unknown ones.
QUERIES = st.builds(
    lambda known, unknown: {**unknown, **known},
    st.fixed_dictionaries(
        {},
        optional={
            **{name: st.lists(VALUES, min_size=1, max_size=3) for name in PARAMETERS},
            "cursor": st.lists(CURSORS | VALUES, min_size=1, max_size=1),
        },
    ),
    st.dictionaries(st.text(min_size=1, max_size=12), st.lists(VALUES, max_size=2), max_size=3),
)
# Every class of hostile number in every parameter at once, whatever the random part draws. The
# API's own paging parameters are left out here: the schema refuses them first (422), and the
# filters behind them are what these examples are for.
SWEEP = [str(2**63), "9" * 5000, "-1", "1.5", "1e9999", "١٢", "²", "1\x00", "9999-99-99"]


def _everywhere(value: str) -> dict[str, list[str]]:
    return {name: [value] for name in PARAMETERS if name not in ("limit", "cursor")}


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _assert_well_formed(response, body: bytes) -> None:
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert rows, "a CSV has at least its header"
        assert {len(row) for row in rows} == {len(rows[0])}
    elif kind.endswith("json"):
        json.loads(body)
    elif kind in ("text/html", "text/plain"):
        body.decode("utf-8")
    elif kind == "image/svg+xml":
        ElementTree.fromstring(body)  # noqa: S314 (the hub's own answer)
    elif kind.startswith("application/vnd."):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert archive.testzip() is None
    elif kind == "image/png":
        assert body.startswith(b"\x89PNG")
    elif kind == "application/pdf":
        assert body.startswith(b"%PDF")


@pytest.fixture
def clients(world):  # noqa: F811
    editor = Client()
    editor.force_login(world.users["editor"])
    return {"anonymous": Client(), "editor": editor}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_TOKEN = 10**9
    settings.API_RATE_LIMIT_PER_ADDRESS = 10**9


def test_the_fuzz_reaches_the_filters():
    # Guards the derivation: if these names vanished, the fuzz would test nothing in particular.
    assert {"partnership", "organization", "year", "year_from", "page", "cursor", "limit"} <= set(
        KNOWN
    )
    assert {"funding:contribution_export", "api:grant_list", "funding:grant_due"} <= set(GETS)


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_no_query_string_crashes_a_list(persona, world, clients):  # noqa: F811
    urls = _list_urls(world)
    assert len(urls) > 30

    @settings(
        max_examples=4,  # and the SWEEP examples
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=QUERIES)
    def check(query):
        for url in urls:
            response = clients[persona].get(url, query)
            body = _body(response)
            assert response.status_code < 500, (url, str(query)[:300], body[:300])
            _assert_well_formed(response, body)

    for value in SWEEP:
        check = example(query=_everywhere(value))(check)
    check()


def _api_lists() -> list[str]:
    """The API's list operations, from its OpenAPI document: GET paths without a path parameter."""
    document = api.get_openapi_schema()
    return sorted(
        path
        for path, operations in document["paths"].items()
        if "get" in operations and "{" not in path and "openapi" not in path
    )


def test_no_cursor_crashes_an_api_list(client, db):
    lists = _api_lists()
    assert "/api/v1/contributions" in lists

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        path=st.sampled_from(lists),
        sort=st.sampled_from(_orderings()),
        value=CURSOR_VALUES,
        pk=CURSOR_IDS,
    )
    @example(path="/api/v1/partnerships", sort="-updated", value="0001-01-01T00:00:00+14:00", pk=1)
    def check(path, sort, value, pk):
        # The cursor names the ordering the list is sorted by, so its value is read.
        query = {"sort": sort, "cursor": _cursor([sort, value, pk])}
        response = client.get(path, query)
        assert response.status_code < 500, (path, query, response.content[:300])
        _assert_well_formed(response, response.content)

    check()
