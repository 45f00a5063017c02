"""The letter-of-intent scenario runs on the tiny dataset and leaves no document behind."""

import pytest

from bench.run import run_scenario
from bench.scenarios import all_scenarios
from bench.tests.test_smoke import ctx  # noqa: F401 - the smoke run's fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("bench")]


def test_generating_letters_is_measured_against_the_fill_alone(ctx):  # noqa: F811
    from hub.lifecycle.documents.models import GeneratedDocument

    result = run_scenario(ctx, all_scenarios()["generate_letter"])
    assert result["status"] == "measured", result.get("reason")
    assert result["hub"]["requests"] > 0
    assert result["hub"]["errors"] == 0
    assert result["floor"]["requests"] > 0
    assert [t["metric"] for t in result["targets"]] == ["p95_ms"]
    assert not GeneratedDocument.objects.exists()
