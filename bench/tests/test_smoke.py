"""A smoke run of the benchmark harness, so it cannot rot: a tiny dataset in the test database, a live
server, and a second or so of load per scenario. It asserts the shape of the results and that the
answers are checked, never how fast anything is (speed is measured by `make bench` only)."""

import json

import pytest

from bench.generate import SIZES, Generator
from bench.loadgen import Request
from bench.report import table
from bench.run import run_scenario
from bench.scenarios import Context, PagePlan, Scenario, Target, all_scenarios
from bench.server import ThisProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bench")]


@pytest.fixture
def ctx(live_server, tmp_path, settings):
    # As for the benchmark's server (bench/server.py): the API's limiter runs but never refuses
    # the load, which comes from one address.
    settings.API_RATE_LIMIT_PER_ADDRESS = settings.API_RATE_LIMIT_PER_TOKEN = 1_000_000_000
    counts = Generator(SIZES["XS"]).run()
    assert counts["partnerships"] == SIZES["XS"].partnerships
    port = int(live_server.url.rsplit(":", 1)[1])
    return Context(
        port=port,
        size="XS",
        db="test",
        duration=0.6,
        # The live server's request threads share the test's one in-memory SQLite connection:
        # two requests at once can trip over each other there, so the smoke run sends one at a time.
        concurrency=1,
        loadgen="python",
        work_dir=tmp_path,
        server=ThisProcess(),
        quick=True,
    )


def _plan(*requests: Request) -> Scenario:
    return Scenario("probe", "A probe", "page", lambda ctx: PagePlan(list(requests)))


def test_page_scenarios_measure_hub_and_floor_with_checked_answers(ctx):
    registry = all_scenarios()
    results = [
        run_scenario(ctx, registry[name])
        for name in ("partnership_page", "registry_list", "search")
    ]
    for result in results:
        assert result["status"] == "measured", result.get("reason")
        hub, floor = result["hub"], result["floor"]
        assert hub["requests"] > 0
        assert hub["errors"] == 0
        assert hub["p50_ms"] <= hub["p95_ms"] <= hub["p99_ms"]
        assert floor["requests"] > 0
        assert floor["errors"] == 0
        assert floor["statements_per_request"] >= 1
        assert result["ratio_p50"] > 0
    # The results are what the runner writes to bench/results/: plain JSON.
    report = {"size": "XS", "db": "test", "date": "today", "scenarios": results}
    assert json.loads(json.dumps(report))["scenarios"][0]["name"] == "partnership_page"
    assert "Partnership page (`partnership_page`)" in table(report)


def test_bad_answers_are_errors_and_missing_features_are_skipped(ctx):
    # Wrong content: every answer is an error, none counts as a (fast) page.
    sc = _plan(Request("/partnerships/", "text that is on no page of the hub"))
    sc.targets = [Target("p95_ms", 10_000, "generous", "test")]
    result = run_scenario(ctx, sc)
    assert result["status"] == "error"
    assert result["hub"]["errors"] == result["hub"]["requests"] > 0
    assert result["hub"]["p50_ms"] is None
    assert result["targets"][0]["verdict"] == "error"
    assert "expected text missing" in result["reason"]
    assert "**error**" in table({"size": "XS", "db": "test", "date": "-", "scenarios": [result]})

    # A status other than the expected one is an error too.
    result = run_scenario(ctx, _plan(Request("/partnerships/?page=1", status=201)))
    assert result["status"] == "error"
    assert "status 200 (expected 201)" in result["reason"]

    # A URL that answers 404 at warm-up: the feature is not in this build; nothing is measured.
    result = run_scenario(ctx, _plan(Request("/no-such-feature/", "anything")))
    assert result["status"] == "skipped"
    assert result["reason"].startswith("not available in this build")
    assert "hub" not in result


def test_api_list_scenarios_answer_non_empty_lists(ctx):
    registry = all_scenarios()
    for name in ("api_organizations", "api_contributions"):
        result = run_scenario(ctx, registry[name])
        assert result["status"] == "measured", result.get("reason")
        assert result["hub"]["errors"] == 0
        assert result["requests"][0].startswith("/api/v1/")
        # The same query count for 10 and 50 items is checked, not assumed.
        fixed = next(t for t in result["targets"] if t["metric"] == "fixed_queries")
        assert fixed["value"] is not None


def _found(facts: dict, db: str = "postgres") -> dict:
    env = {"facts": facts, "wall_seconds": 600.0, "prepare_seconds": 1.0}
    return {("M", db): {"db": db, "started": "2026-11-25T10:00", "environment": env}}


def test_advice_follows_what_the_run_recorded_about_the_code():
    from bench.report import advice, wall_time

    text = "\n".join(
        advice(
            _found(
                {
                    "cache_backend": "django.core.cache.backends.db.DatabaseCache",
                    "session_engine": "django.contrib.sessions.backends.db",
                    "tasks_backend": "django_tasks_db.DatabaseBackend",
                    "text_search_index": False,
                }
            )
        )
    )
    assert "Move the cache out of the database" in text
    assert "a trigram index (PostgreSQL `pg_trgm`)" in text

    text = "\n".join(
        advice(
            _found(
                {
                    "cache_backend": "django.core.cache.backends.redis.RedisCache",
                    "session_engine": "django.contrib.sessions.backends.cache",
                    "tasks_backend": "django_tasks_db.DatabaseBackend",
                    "text_search_index": True,
                }
            )
        )
    )
    assert "out of the database" not in text
    assert "RedisCache" in text
    assert "already uses a trigram or full-text index" in text

    assert "10.0 min" in wall_time(_found({})[("M", "postgres")]["environment"])


def test_bounded_scenarios_get_what_is_left_of_their_share():
    import time

    ctx = Context(port=0, size="M", db="test", duration=5, concurrency=2, loadgen="python")
    assert ctx.bound(180) == (180, False)  # no run budget: the scenario's own bound
    ctx.budget_s, ctx.scenario_started = 100.0, time.monotonic()
    limit, by_budget = ctx.bound(180, reserve=40)
    assert by_budget
    assert 55 < limit <= 60
    assert ctx.bound(20) == (20, False)
