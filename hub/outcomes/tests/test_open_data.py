"""The open-data dumps publish the definitions and the public partnerships' figures only."""

import csv
import json

from hub.api import opendata
from hub.outcomes.factories import make_figure
from hub.partnerships.factories import make_partnership


def test_dumps_hold_public_figures_and_every_definition(affiliate, editor, tmp_path):
    public = make_partnership(lead=affiliate, actor=editor, title="Open trams")
    private = make_partnership(lead=affiliate, actor=editor, title="Shut", visibility="private")
    movement = make_partnership(lead=affiliate, actor=editor, title="Ours", visibility="movement")
    shown = make_figure(partnership=public, metric="participants", keys=["Alice", "Bob"])
    make_figure(partnership=private, metric="people_reached", value=999)
    make_figure(partnership=movement, metric="people_reached", value=888)
    opendata.build(tmp_path)
    figures = json.loads((tmp_path / "outcome-figures.json").read_text())
    assert figures == [
        {
            "id": shown.pk,
            "partnership_id": public.pk,
            "metric": "participants",
            "definition_version": 1,
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "value": "2",
            "source": "hand",
            "source_ref": "",
            "taken_at": figures[0]["taken_at"],
            "keys": 2,
        }
    ]
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir() if p.is_file())
    assert "Alice" not in everything
    with (tmp_path / "outcome-definitions.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 10
    assert {r["key"] for r in rows} >= {"participants", "funds_raised"}
