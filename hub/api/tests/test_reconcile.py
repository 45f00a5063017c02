"""The reconciliation service (hub/api/reconcile): every answer checked against the W3C
specification's own JSON schemas (fixtures/reconciliation-schemas, see its README)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from hub.api import services as api_services
from hub.api.reconcile.queries import MAX_BATCH, MAX_LIMIT, QueryError, check_shape, read_batch
from hub.directory.factories import AffiliateFactory, OrganizationFactory
from hub.directory.models import Organization
from hub.partnerships.factories import make_partnership

SCHEMAS = Path(__file__).parent / "fixtures" / "reconciliation-schemas"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents, DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def assert_valid(schema_name: str, document) -> None:
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    errors = list(Draft7Validator(schema, registry=REGISTRY).iter_errors(document))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


@pytest.fixture
def directory(db):
    """A few museums and libraries, one affiliate, and namesakes to choose between."""
    return {
        "albertina": OrganizationFactory(
            name="Albertina",
            kind=Organization.Kind.MUSEUM,
            country="AT",
            city="Wien",
            website="https://www.albertina.at/",
        ),
        "modern": OrganizationFactory(
            name="Albertina Modern",
            kind=Organization.Kind.MUSEUM,
            country="AT",
            wikidata_id="Q85760035",
        ),
        "onb": OrganizationFactory(
            name="Austrian National Library",
            local_name="Österreichische Nationalbibliothek",
            kind=Organization.Kind.LIBRARY,
            country="AT",
            wikidata_id="Q304037",
            website="https://www.onb.ac.at",
        ),
        "london": OrganizationFactory(
            name="Museum of London", kind=Organization.Kind.MUSEUM, country="GB"
        ),
        "british": OrganizationFactory(
            name="The British Library", kind=Organization.Kind.LIBRARY, country="GB"
        ),
        "wmat": AffiliateFactory(name="Wikimedia Österreich", short_code="WMAT", country="AT"),
    }


def _reconcile(client, queries: dict, *, headers=None):
    response = client.post(
        reverse("reconcile:service"), {"queries": json.dumps(queries)}, headers=headers or {}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid("reconciliation-result-batch", body)
    return body


def _ids(result):
    return [candidate["id"] for candidate in result["result"]]


def test_manifest_validates_and_names_the_services(client, directory):
    response = client.get(reverse("reconcile:service"))
    assert response.status_code == 200
    manifest = response.json()
    assert_valid("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert {"id": "museum", "name": "Museum"} in manifest["defaultTypes"]
    assert manifest["view"]["url"] == "http://testserver/organizations/{{id}}/"
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview/{{id}}/"
    entity = manifest["suggest"]["entity"]
    assert (
        entity["service_url"] + entity["service_path"]
        == "http://testserver/reconcile/suggest/entity/"
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_allows_every_origin_without_credentials(client, db):
    response = client.options(
        reverse("reconcile:service"),
        headers={"Origin": "https://openrefine.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


def test_exact_name_is_a_match_with_features(client, directory):
    body = _reconcile(client, {"q0": {"query": "albertina", "limit": 3}})
    first = body["q0"]["result"][0]
    assert first["id"] == str(directory["albertina"].pk)
    assert first["match"] is True
    assert first["score"] == 100.0
    assert first["type"] == [{"id": "museum", "name": "Museum"}]
    assert {"id": "name_exact", "value": True} in first["features"]
    # the namesake-ish candidate comes second, neither a match nor as high
    second = body["q0"]["result"][1]
    assert second["id"] == str(directory["modern"].pk)
    assert second["match"] is False
    assert second["score"] < first["score"]


def test_identifier_beats_name(client, directory):
    body = _reconcile(
        client,
        {"q0": {"query": "Albertina", "properties": [{"pid": "wikidata", "v": "Q85760035"}]}},
    )
    first, second = body["q0"]["result"][:2]
    assert first["id"] == str(directory["modern"].pk)
    assert first["match"] is True
    assert first["score"] == 100.0
    assert {"id": "wikidata_match", "value": True} in first["features"]
    # the same name without the item is no longer certain
    assert second["id"] == str(directory["albertina"].pk)
    assert second["match"] is False


def test_website_matches_however_it_is_written(client, directory):
    body = _reconcile(
        client,
        {
            "q0": {
                "query": "Albertina Wien",
                "properties": [{"pid": "website", "v": "albertina.at"}],
            }
        },
    )
    first = body["q0"]["result"][0]
    assert first["id"] == str(directory["albertina"].pk)
    assert first["match"] is True
    assert {"id": "website_match", "value": True} in first["features"]


def test_a_different_identifier_forbids_the_match_and_lowers_the_score(client, directory):
    body = _reconcile(
        client,
        {"q0": {"query": "Albertina Modern", "properties": [{"pid": "wikidata", "v": "Q1"}]}},
    )
    modern = next(c for c in body["q0"]["result"] if c["id"] == str(directory["modern"].pk))
    assert modern["match"] is False
    assert {"id": "wikidata_match", "value": False} in modern["features"]
    assert modern["score"] == 70.0


def test_query_text_may_be_an_identifier(client, directory):
    body = _reconcile(
        client,
        {
            "qid": {"query": "Q304037"},
            "code": {"query": "WMAT"},
            "id": {"query": str(directory["london"].pk)},
        },
    )
    assert _ids(body["qid"])[0] == str(directory["onb"].pk)
    assert _ids(body["code"])[0] == str(directory["wmat"].pk)
    assert _ids(body["id"])[0] == str(directory["london"].pk)
    assert all(body[key]["result"][0]["match"] for key in ("qid", "code", "id"))


def test_local_name_legal_form_and_article_are_matched(client, directory):
    body = _reconcile(
        client,
        {
            "local": {"query": "Osterreichische Nationalbibliothek"},
            "article": {"query": "British Library Ltd"},
        },
    )
    assert body["local"]["result"][0]["id"] == str(directory["onb"].pk)
    assert body["local"]["result"][0]["match"] is True
    assert body["article"]["result"][0]["id"] == str(directory["british"].pk)


def test_country_moves_the_score_and_type_restricts(client, directory):
    body = _reconcile(
        client,
        {
            "agree": {"query": "Museum London", "properties": [{"pid": "country", "v": "GB"}]},
            "differ": {
                "query": "Museum London",
                "properties": [{"pid": "country", "v": "Austria"}],
            },
            "library": {"query": "Albertina", "type": "library"},
        },
    )
    agree, differ = body["agree"]["result"][0], body["differ"]["result"][0]
    assert agree["id"] == differ["id"] == str(directory["london"].pk)
    assert {"id": "country_match", "value": True} in agree["features"]
    assert {"id": "country_match", "value": False} in differ["features"]
    assert agree["score"] - differ["score"] == 20.0
    assert body["library"]["result"] == []


def test_properties_without_query_text(client, directory):
    body = _reconcile(
        client, {"q0": {"properties": [{"pid": "website", "v": "http://onb.ac.at/"}]}}
    )
    assert _ids(body["q0"]) == [str(directory["onb"].pk)]
    assert body["q0"]["result"][0]["match"] is True


def test_get_with_queries_and_jsonp(client, directory):
    queries = json.dumps({"q0": {"query": "Albertina"}})
    plain = client.get(reverse("reconcile:service"), {"queries": queries})
    assert plain.status_code == 200
    assert_valid("reconciliation-result-batch", plain.json())
    wrapped = client.get(reverse("reconcile:service"), {"queries": queries, "callback": "cb"})
    text = wrapped.content.decode()
    assert wrapped["Content-Type"].startswith("application/javascript")
    assert text.startswith("/**/cb(")
    assert text.endswith(");")
    assert json.loads(text[len("/**/cb(") : -2]) == plain.json()
    refused = client.get(reverse("reconcile:service"), {"callback": "alert(1)//"})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("queries", "status", "names"),
    [
        ("{not json", 400, "JSON"),
        ('["a list"]', 400, "object"),
        ('{"q0": "Albertina"}', 400, "q0"),
        ('{"q0": {"query": 5}}', 400, "query"),
        ('{"q0": {"limit": 1}}', 400, "q0"),
        ('{"q0": {"query": "A", "props": []}}', 400, "props"),
        ('{"q0": {"query": "A", "limit": 1000}}', 400, "limit"),
        ('{"q0": {"query": "A", "limit": 0}}', 400, "limit"),
        ('{"q0": {"query": "A", "limit": 2.5}}', 400, "limit"),
        ('{"q0": {"query": "A", "type": "planet"}}', 400, "planet"),
        ('{"q0": {"query": "A", "type_strict": "maybe"}}', 400, "type_strict"),
        ('{"q0": {"query": "A", "properties": [{"pid": "P31", "v": "x"}]}}', 400, "P31"),
        ('{"q0": {"query": "A", "properties": [{"pid": "country"}]}}', 400, "q0"),
        ('{"q0": {"query": "A", "properties": [{"pid": "country", "v": [[1]]}]}}', 400, "v"),
        ('{"q0": {"query": "' + "x" * 600 + '"}}', 400, "500"),
        ('{"q7": {"properties": [{"pid": "country", "v": "AT"}]}}', 400, "q7"),
        (json.dumps({f"q{i}": {"query": "A"} for i in range(MAX_BATCH + 1)}), 413, str(MAX_BATCH)),
    ],
)
def test_bad_queries_get_a_clear_message(client, directory, queries, status, names):
    response = client.post(reverse("reconcile:service"), {"queries": queries})
    assert response.status_code == status
    assert names in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_post_without_queries_and_extend_are_refused(client, db):
    assert client.post(reverse("reconcile:service"), {}).status_code == 400
    response = client.get(reverse("reconcile:service"), {"extend": "{}"})
    assert response.status_code == 400
    assert "extension" in response.json()["error"]


def test_wrong_token_is_refused(client, directory):
    response = client.post(
        reverse("reconcile:service"),
        {"queries": json.dumps({"q0": {"query": "Albertina"}})},
        headers={"Authorization": "Bearer phub_nope_nope"},
    )
    assert response.status_code == 401
    assert "token" in response.json()["error"]


def test_the_specifications_example_batches_have_the_shape_it_allows():
    examples = SCHEMAS / "examples" / "reconciliation-query-batch"
    for path in sorted((examples / "valid").glob("*.json")):
        check_shape(json.loads(path.read_text()))
    for path in sorted((examples / "invalid").glob("*.json")):
        with pytest.raises(QueryError):
            check_shape(json.loads(path.read_text()))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
QUERYISH = st.dictionaries(
    st.sampled_from(["q0", "q1"]),
    st.fixed_dictionaries(
        {},
        optional={
            "query": JSON | st.text(max_size=20),
            "type": JSON | st.sampled_from(["museum", ["library", "chapter"]]),
            "limit": JSON,
            "type_strict": JSON | st.sampled_from(["any", "should"]),
            "properties": JSON
            | st.lists(
                st.fixed_dictionaries(
                    {"pid": st.sampled_from(["country", "wikidata", "website", "x"]), "v": JSON}
                ),
                max_size=3,
            ),
        },
    ),
)


@settings(max_examples=300, deadline=None)
@given(batch=JSON | QUERYISH)
def test_any_json_is_read_or_refused_with_a_message(batch):
    text = json.dumps(batch)
    try:
        queries = read_batch(text)
    except QueryError as exc:
        refusal = exc
    else:
        assert set(queries) == set(batch)
        for query in queries.values():
            assert 1 <= query.limit <= MAX_LIMIT
        return
    assert refusal.message
    assert refusal.status in (400, 413)


def test_suggest_services_validate(client, directory):
    entity = client.get(reverse("reconcile:suggest_entity"), {"prefix": "alb"}).json()
    assert_valid("suggest-entities-response", entity)
    assert [r["id"] for r in entity["result"]] == [
        str(directory["albertina"].pk),
        str(directory["modern"].pk),
    ]
    assert entity["result"][0]["notable"] == [{"id": "museum", "name": "Museum"}]
    by_word = client.get(reverse("reconcile:suggest_entity"), {"prefix": "lond"}).json()
    assert [r["id"] for r in by_word["result"]] == [str(directory["london"].pk)]
    by_code = client.get(reverse("reconcile:suggest_entity"), {"prefix": "wmat"}).json()
    assert [r["id"] for r in by_code["result"]] == [str(directory["wmat"].pk)]
    next_page = client.get(reverse("reconcile:suggest_entity"), {"prefix": "alb", "cursor": 1})
    assert [r["id"] for r in next_page.json()["result"]] == [str(directory["modern"].pk)]
    types = client.get(reverse("reconcile:suggest_type"), {"prefix": "mus"}).json()
    assert_valid("suggest-types-response", types)
    assert types["result"] == [{"id": "museum", "name": "Museum"}]
    props = client.get(reverse("reconcile:suggest_property"), {"prefix": ""}).json()
    assert_valid("suggest-properties-response", props)
    assert [p["id"] for p in props["result"]] == [
        "wikidata",
        "website",
        "short_code",
        "country",
        "type",
    ]
    bad = client.get(reverse("reconcile:suggest_entity"), {"prefix": "a", "cursor": "-1"})
    assert bad.status_code == 400
    assert "cursor" in bad.json()["error"]


def test_preview_shows_the_organization_in_a_frame(client, directory):
    response = client.get(reverse("reconcile:preview", args=[directory["onb"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Austrian National Library" in html
    assert "Österreichische Nationalbibliothek" in html
    assert "https://www.wikidata.org/wiki/Q304037" in html
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


@pytest.mark.parametrize("entity", ["999999", "abc", "1" * 20])
def test_preview_of_no_organization_is_404(client, directory, entity):
    response = client.get(reverse("reconcile:preview", args=[entity]))
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


def test_private_partnerships_stay_out_of_the_preview(client, directory, client_for):
    from hub.accounts.factories import MembershipFactory

    affiliate = directory["wmat"]
    make_partnership(
        lead=affiliate, partners=[directory["albertina"]], title="Public loan", visibility="public"
    )
    make_partnership(
        lead=affiliate,
        partners=[directory["albertina"]],
        title="Secret acquisition",
        visibility="private",
    )
    url = reverse("reconcile:preview", args=[directory["albertina"].pk])
    anonymous = client.get(url).content.decode()
    assert "Public loan" in anonymous
    assert "Secret acquisition" not in anonymous
    assert "1 partnership" in anonymous
    member = MembershipFactory(organization=affiliate, role="viewer").user
    # the session is not read: a signed-in browser sees what OpenRefine sees ...
    assert "Secret acquisition" not in client_for(member).get(url).content.decode()
    # ... and a token of a member of the lead sees what its owner may see
    _token, secret = api_services.apitoken_create(actor=member, name="refine", scope="read")
    with_token = client.get(url, headers={"Authorization": f"Bearer {secret}"}).content.decode()
    assert "Secret acquisition" in with_token
    assert "2 partnerships" in with_token


PARTNER_SHEET = """name,country,website
Albertina,Austria,
Austrian National Library,AT,
Osterreichische Nationalbibliothek,,onb.ac.at
Museum of London,United Kingdom,
British Library,GB,
Wikimedia Osterreich,AT,
Albertina Modern Museum,AT,
Louvre,FR,
"""


def test_reconciling_a_partner_sheet_as_openrefine_does(client, directory):
    """OpenRefine posts the rows ten at a time as the form field `queries`, the country and
    website columns as properties, and auto-matches the candidates marked `match`."""
    rows = list(csv.DictReader(io.StringIO(PARTNER_SHEET)))
    queries = {}
    for number, row in enumerate(rows):
        properties = [
            {"pid": pid, "v": row[column]}
            for pid, column in (("country", "country"), ("website", "website"))
            if row[column]
        ]
        queries[f"q{number}"] = {
            "query": row["name"],
            "type_strict": "should",
            "properties": properties,
        }
    body = _reconcile(client, queries)
    matched = {
        rows[int(key[1:])]["name"]: next((c["name"] for c in answer["result"] if c["match"]), None)
        for key, answer in body.items()
    }
    assert matched == {
        "Albertina": "Albertina",
        "Austrian National Library": "Austrian National Library",
        "Osterreichische Nationalbibliothek": "Austrian National Library",
        "Museum of London": "Museum of London",
        "British Library": "The British Library",
        "Wikimedia Osterreich": "Wikimedia Österreich",
        "Albertina Modern Museum": None,  # close, but a person decides
        "Louvre": None,
    }
    close = body["q6"]["result"][0]
    assert close["name"] == "Albertina Modern"
    assert close["score"] >= 80
    assert body["q7"]["result"] == []


def test_a_batch_reads_the_database_a_few_times_not_once_per_candidate(
    client, directory, django_assert_max_num_queries
):
    for number in range(60):
        OrganizationFactory(name=f"Museum of Things {number}", country="AT")
    queries = {f"q{i}": {"query": f"Museum of Things {i}", "limit": MAX_LIMIT} for i in range(10)}
    # two per query at most, and the rate count's few
    with django_assert_max_num_queries(2 * 10 + 6):
        body = _reconcile(client, queries)
    assert all(len(answer["result"]) == MAX_LIMIT for answer in body.values())
    assert all(answer["result"][0]["match"] for answer in body.values())


def test_country_names_in_the_language_of_the_request(client, directory):
    queries = {"q0": {"query": "Albertina", "properties": [{"pid": "country", "v": "Österreich"}]}}
    response = client.post(
        reverse("reconcile:service"),
        {"queries": json.dumps(queries)},
        headers={"Accept-Language": "de"},
    )
    first = response.json()["q0"]["result"][0]
    assert {"id": "country_match", "value": True} in first["features"]
    assert first["type"] == [{"id": "museum", "name": "Museum"}]


def test_too_many_calls_are_refused_with_a_wait(client, directory, settings):
    settings.API_RATE_LIMIT_PER_ADDRESS = 2
    settings.API_RATE_LIMIT_WINDOW = 10**9  # one window for the whole test
    queries = {"queries": json.dumps({"q0": {"query": "Albertina"}})}
    for _ in range(2):
        assert client.post(reverse("reconcile:service"), queries).status_code == 200
    refused = client.post(reverse("reconcile:service"), queries)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused["Access-Control-Allow-Origin"] == "*"
    # the manifest is not counted: a client can always learn what the service is
    assert client.get(reverse("reconcile:service")).status_code == 200


def test_accents_are_found_as_typed_and_without(client, db):
    musee = OrganizationFactory(name="Musée Granet", kind=Organization.Kind.MUSEUM, country="FR")
    plain = OrganizationFactory(name="Museo Nacion", kind=Organization.Kind.MUSEUM, country="AR")
    # the database compares "é" as it is: the word is looked for as typed and without its accents
    body = _reconcile(client, {"typed": {"query": "Musée"}, "without": {"query": "Museo Nación"}})
    assert _ids(body["typed"])[:1] == [str(musee.pk)]
    assert _ids(body["without"])[:1] == [str(plain.pk)]
    assert body["without"]["result"][0]["match"] is True


def test_a_body_too_big_to_read_is_refused(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    queries = json.dumps({"q0": {"query": "x" * 2000}})
    response = client.post(reverse("reconcile:service"), {"queries": queries})
    assert response.status_code == 413
    assert "too long" in response.json()["error"]


def test_a_common_name_is_found_among_many_that_hold_it(client, db):
    for number in range(120):
        OrganizationFactory(name=f"Museum {number}")
    museum = OrganizationFactory(name="Museum")
    body = _reconcile(client, {"q0": {"query": "museum"}})
    assert body["q0"]["result"][0]["id"] == str(museum.pk)
    assert body["q0"]["result"][0]["match"] is True
