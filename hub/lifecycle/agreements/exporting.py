"""The agreement exports (CSV, XLSX, ODS): every agreement the reader sees, its details (parties,
signatories, checklist, files, generated documents, VRT ticket, grant) only where the reader may
see them."""

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from hub.core.exporting import Column, ListColumn, join_items
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements.models import (
    Agreement,
    AgreementFile,
    AgreementParty,
    ChecklistItem,
    participant_member_q,
)


def details_q(user) -> Q:
    return Q(details_public=True) | participant_member_q(user)


def export_queryset(user, qs: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    qs = (qs if qs is not None else Agreement.objects.all()) & Agreement.objects.visible_to(user)
    shown = details_q(user)
    grant_seen = shown & Q(grant__in=Grant.objects.visible_to(user).values("pk"))
    return qs.annotate(
        shown_vrt_ticket=Case(
            When(shown, then=F("vrt_ticket")), default=Value(""), output_field=CharField()
        ),
        shown_grant=Case(
            When(grant_seen, then=F("grant__title")), default=Value(""), output_field=CharField()
        ),
    ).order_by("partnership_id", "pk")


def _visible(user, pks) -> set[int]:
    return set(
        Agreement.objects.details_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
    )


def _parties(user):
    def values_for(pks):
        cells: dict[int, list[str]] = {}
        rows = AgreementParty.objects.filter(agreement_id__in=_visible(user, pks)).values_list(
            "agreement_id", "organization__name", "signatory_name", "signatory_role", "signed_on"
        )
        for pk, org, name, role, signed in rows.order_by("agreement_id", "position", "pk"):
            who = ", ".join(x for x in (name, role) if x)
            line = f"{org} ({who})" if who else org
            cells.setdefault(pk, []).append(line + (f" {signed.isoformat()}" if signed else ""))
        return {pk: join_items(lines) for pk, lines in cells.items()}

    return values_for


def _checklist(user):
    labels = dict(ChecklistItem.Score.choices)
    topics = dict(ChecklistItem.Topic.choices)

    def values_for(pks):
        cells: dict[int, list[str]] = {}
        rows = ChecklistItem.objects.filter(agreement_id__in=_visible(user, pks)).values_list(
            "agreement_id", "topic", "score", "note"
        )
        for pk, topic, score, note in rows.order_by("agreement_id", "pk"):
            line = f"{topics.get(topic, topic)}: {labels.get(score, '–')}"
            cells.setdefault(pk, []).append(f"{line} ({note})" if note else line)
        return {pk: join_items(lines) for pk, lines in cells.items()}

    return values_for


def _files(user):
    def values_for(pks):
        cells: dict[int, list[str]] = {}
        rows = AgreementFile.objects.filter(agreement_id__in=_visible(user, pks)).values_list(
            "agreement_id", "number", "original_name", "sha256"
        )
        for pk, number, name, sha in rows.order_by("agreement_id", "number"):
            cells.setdefault(pk, []).append(f"v{number} {name} sha256:{sha}")
        return {pk: join_items(lines) for pk, lines in cells.items()}

    return values_for


def _documents(user):
    # Generated documents follow their agreement's details (hub/lifecycle/documents/models.py).
    from hub.lifecycle.documents.models import GeneratedDocument

    def values_for(pks):
        cells: dict[int, list[str]] = {}
        rows = GeneratedDocument.objects.filter(agreement_id__in=_visible(user, pks)).values_list(
            "agreement_id",
            "template_version__template__kind",
            "template_version__template__language",
            "template_version__number",
            "format",
            "generated_at",
            "sha256",
        )
        for pk, kind, language, number, fmt, at, sha in rows.order_by("agreement_id", "pk"):
            line = f"{kind} {language} v{number} {fmt} {at.date().isoformat()} sha256:{sha}"
            cells.setdefault(pk, []).append(line)
        return {pk: join_items(lines) for pk, lines in cells.items()}

    return values_for


def agreement_columns(user) -> list[Column | ListColumn]:
    return [
        Column("id", ("pk",)),
        Column("partnership_id", ("partnership_id",)),
        Column("partnership", ("partnership__title",)),
        Column("type", ("kind",)),
        Column("title", ("title",)),
        Column("status", ("status",)),
        Column("effective_date", ("effective_date",)),
        Column("end_date", ("end_date",)),
        Column("renewal_date", ("renewal_date",)),
        Column("licence", ("licence",)),
        Column("details_public", ("details_public",)),
        Column("vrt_ticket", ("shown_vrt_ticket",)),
        Column("grant", ("shown_grant",)),
        ListColumn("parties", _parties(user)),
        ListColumn("checklist", _checklist(user)),
        ListColumn("files", _files(user)),
        ListColumn("documents", _documents(user)),
    ]
