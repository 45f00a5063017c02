"""The reconciliation scenario runs on a tiny dataset and its answers are checked (never timed)."""

import pytest

from bench.generate import SIZES, Generator
from bench.run import run_scenario
from bench.scenarios import Context, all_scenarios
from bench.server import ThisProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bench")]


def test_reconcile_scenario_measures_batches(live_server, tmp_path, settings):
    settings.API_RATE_LIMIT_PER_ADDRESS = settings.API_RATE_LIMIT_PER_TOKEN = 1_000_000_000
    Generator(SIZES["XS"]).run()
    ctx = Context(
        port=int(live_server.url.rsplit(":", 1)[1]),
        size="XS",
        db="test",
        duration=0.6,
        concurrency=1,
        loadgen="python",
        work_dir=tmp_path,
        server=ThisProcess(),
        quick=True,
    )
    result = run_scenario(ctx, all_scenarios()["reconcile"])
    assert result["status"] == "measured", result.get("reason")
    assert result["hub"]["errors"] == 0
    assert result["floor"]["statements_per_request"] >= 1
