"""The network map's scenario runs on the tiny dataset: the snapshots computed, the page measured."""

import pytest

from bench.run import run_scenario
from bench.scenarios import all_scenarios
from bench.tests.test_smoke import ctx  # noqa: F401 - the smoke run's fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bench")]


def test_the_network_page_is_measured_once_computed(ctx):  # noqa: F811
    from hub.alliances.network.models import NetworkSnapshot

    result = run_scenario(ctx, all_scenarios()["network_page"])
    assert result["status"] == "measured", result.get("reason")
    assert result["hub"]["requests"] > 0
    assert result["hub"]["errors"] == 0
    assert result["floor"]["statements_per_request"] >= 1
    assert [t["metric"] for t in result["targets"]] == ["p95_ms"]
    assert NetworkSnapshot.objects.filter(scope="public", status="done").count() == 2
