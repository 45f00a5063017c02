"""The reconciliation service (issue 19 part 4): batches of 10 queries, as OpenRefine sends them,
against the whole directory (100,000 organizations at M).

Each request is a GET of `/reconcile/?queries=...` (the service answers GET as it answers
OpenRefine's POST) with ten names taken from the directory, some written as people type them
(lower case, without the generator's number, with a country property), so both the exact and the
close paths run. The floor is the SQL the service runs, captured in-process: two statements per
query at most, never one per candidate. The issue sets no figure; docs/reconciliation.md reports
what is measured.
"""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

from bench.loadgen import Request
from bench.scenarios import Context, PagePlan, Unavailable, scenario

BATCH = 10
BATCHES = 6
ANSWER = '"result"'


def _query(rng: random.Random, name: str, country: str) -> dict:
    text = name
    roll = rng.random()
    if roll < 0.3:
        text = name.lower()
    elif roll < 0.5:
        text = name.rsplit(" ", 1)[0]  # without the generator's number: many namesakes
    query: dict = {"query": text, "type_strict": "should"}
    if country and rng.random() < 0.5:
        query["properties"] = [{"pid": "country", "v": country}]
    return query


@scenario("reconcile", "Reconciliation service, batches of 10 queries", group="wiki")
def reconcile_batches(ctx: Context) -> PagePlan:
    try:
        from django.urls import reverse

        path = reverse("reconcile:service")
    except Exception as exc:
        raise Unavailable("the reconciliation service is not in this build") from exc
    from hub.directory.models import Organization

    rng = random.Random(19)
    count = BATCHES if not ctx.quick else 2
    picked = list(
        Organization.objects.order_by("pk").values_list("name", "country")[: 50 * count * BATCH]
    )
    if not picked:
        raise Unavailable("the directory is empty")
    requests = []
    for _batch in range(count):
        rows = rng.sample(picked, min(BATCH, len(picked)))
        queries = {f"q{i}": _query(rng, name, country) for i, (name, country) in enumerate(rows)}
        requests.append(Request(f"{path}?{urlencode({'queries': json.dumps(queries)})}", ANSWER))
    return PagePlan(requests)
