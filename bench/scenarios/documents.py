"""Generating a letter of intent (issue 16): `POST /api/v1/partnerships/{id}/documents` for ODT
by the bench editor, on the partnerships of their organization with the most participants, for the
run's duration. Each request builds the values (parties, goals, in-kind commitments), fills the
shipped template and stores the file and its record. The floor is the fill alone: the engine on the
same values, in-process, without HTTP or the database. The documents generated are deleted after.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.loadgen import Request, python_load
from bench.scenarios import Context, Target, scenario

P95 = Target("p95_ms", 1000, "p95 ≤ 1 s", "issue 16")
PARTNERSHIPS = 5


def _targets(ctx: Context) -> tuple[Any, list[int]]:
    from django.db.models import Count

    from hub.accounts.models import Membership
    from hub.partnerships.models import Partnership

    membership = (
        Membership.objects.filter(user__username="bench-editor-1").select_related("user").first()
    )
    if membership is None:
        raise RuntimeError("the dataset has no bench-editor-1")
    ids = list(
        Partnership.objects.filter(lead=membership.organization)
        .annotate(n=Count("participants"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[: 2 if ctx.quick else PARTNERSHIPS]
    )
    return membership.user, ids


@scenario("generate_letter", "Generate a letter of intent (ODT)", kind="document", targets=[P95])
def generate_letter(ctx: Context) -> dict[str, Any]:
    from bench.run import ratio, summarize, verdicts
    from hub.api import services as api_services
    from hub.lifecycle.documents import engine
    from hub.lifecycle.documents.models import DocumentTemplate, GeneratedDocument
    from hub.lifecycle.documents.services import source_version
    from hub.lifecycle.documents.shipped.registry import ensure_shipped_templates
    from hub.lifecycle.documents.values import document_values
    from hub.partnerships.models import Partnership

    user, ids = _targets(ctx)
    if not ids:
        return {"status": "error", "reason": "the bench editor's organization leads no partnership"}
    ensure_shipped_templates()
    before = set(GeneratedDocument.objects.values_list("pk", flat=True))
    _token, secret = api_services.apitoken_create(actor=user, name="bench documents", scope="write")
    body = json.dumps({"kind": "letter_of_intent", "language": "en", "format": "odt"}).encode()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    requests = [
        Request(f"/api/v1/partnerships/{pk}/documents", '"sha256"', 201, "POST", body, headers)
        for pk in ids
    ]
    try:
        hub = python_load(ctx.port, requests, concurrency=ctx.concurrency, duration=ctx.duration)
        # The floor: the fill of the same template with the same values, in-process.
        letter = DocumentTemplate.objects.get(
            organization=None, kind="letter_of_intent", language="en"
        )
        version = source_version(letter, "odt")
        if version is None:
            raise RuntimeError("the shipped letter of intent has no ODT version")
        with version.file.open("rb") as handle:
            data = handle.read()
        values = [
            document_values(
                user=user, partnership=Partnership.objects.get(pk=pk), agreement=None, language="en"
            )
            for pk in ids
        ]
        fills: list[float] = []
        deadline = time.monotonic() + min(ctx.duration, 10)
        while time.monotonic() < deadline or not fills:
            started = time.perf_counter()
            engine.load("odt", data).render(values[len(fills) % len(values)])
            fills.append((time.perf_counter() - started) * 1000)
    finally:
        for document in GeneratedDocument.objects.exclude(pk__in=before):
            document.file.delete(save=False)
            document.delete()
        _token.delete()
    fills.sort()
    floor = {
        "requests": len(fills),
        "errors": 0,
        "p50_ms": round(fills[len(fills) // 2], 1),
        "p95_ms": round(fills[min(len(fills) - 1, int(len(fills) * 0.95))], 1),
    }
    summary = summarize(hub)
    result: dict[str, Any] = {
        "status": "error" if hub.errors else "measured",
        "requests": [r.path for r in requests],
        "concurrency": ctx.concurrency,
        "hub": summary,
        "floor": floor,
        "ratio_p50": ratio(summary["p50_ms"], floor["p50_ms"]),
        "ratio_p95": ratio(summary["p95_ms"], floor["p95_ms"]),
        "targets": verdicts([P95], {"p95_ms": summary["p95_ms"]}, ctx.size),
        "notes": ["floor: the engine's fill of the same template and values, without HTTP or SQL"],
    }
    if hub.errors:
        result["reason"] = "; ".join(f"{k} (x{v})" for k, v in list(hub.problems.items())[:4])
    return result
