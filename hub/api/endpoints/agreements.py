"""Agreements: a partnership's list, one agreement, record and change one, and a partnership's
warnings ("needs attention").

Reads go through `Agreement.objects.visible_to`; the details (parties, checklist, files, VRT
ticket, grant) are null unless the caller may see them (`details_visible`). Writes go through
`hub.lifecycle.agreements.services` with the ETag version check. Signed files are uploaded on the
agreement's page; the API lists them with their SHA-256 and download address.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from hub.api.auth import READ_AUTH, caller, write_auth
from hub.api.endpoints import (
    WRITE_ERRORS,
    IfMatch,
    RecordId,
    etag_of,
    expected_version,
    path_id,
    precondition,
)
from hub.api.endpoints.directory import org_ref
from hub.api.problems import ApiError, Problem
from hub.api.schemas import Id, IsoDate, OrganizationRef, Out, Strict, optional, text
from hub.directory.models import Organization
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements import services, warnings
from hub.lifecycle.agreements.access import details_visible
from hub.lifecycle.agreements.models import Agreement
from hub.partnerships.access import get_partnership_for

router = Router(tags=["agreements"], auth=READ_AUTH)

Kind = Literal[
    "none",
    "institution_letter",
    "letter_of_intent",
    "mou",
    "partnership_agreement",
    "contract",
    "grant_agreement",
]
AgreementStatus = Literal["draft", "sent", "signed", "expired", "terminated"]
Licence = Literal["", "cc_by_sa", "cc_by", "cc0", "vrt", "other"]
Topic = Literal[
    "roles",
    "decisions",
    "communication",
    "resources",
    "ip_licence",
    "attribution",
    "data_protection",
    "disputes",
    "exit",
]
Score = Literal["", "not_relevant", "not_in_place", "partly", "fully"]
Text = Annotated[str, text(200)]


class PartyIn(Schema):
    model_config = Strict

    organization: Id = Field(description="A participant of the partnership.")
    address: Annotated[str, text(2000)] = ""
    signatory_name: Text = ""
    signatory_role: Text = ""
    signed_on: IsoDate | None = None
    executing_unit: Text = ""


class ChecklistIn(Schema):
    model_config = Strict

    score: Score = ""
    note: Annotated[str, text(5000)] = ""


class AgreementCreate(Schema):
    model_config = Strict

    kind: Kind
    title: Text = ""
    status: AgreementStatus = "draft"
    effective_date: IsoDate | None = None
    end_date: IsoDate | None = None
    renewal_date: IsoDate | None = None
    licence: Licence = ""
    vrt_ticket: Annotated[str, text(40)] = ""
    grant: Id | None = Field(None, description="A grant of this partnership.")
    details_public: bool = False
    parties: list[PartyIn] = Field(default_factory=list, max_length=20)
    checklist: dict[Topic, ChecklistIn] = Field(default_factory=dict)


class AgreementUpdate(Schema):
    model_config = Strict

    kind: Kind = optional()
    title: Text = optional()
    status: AgreementStatus = optional()
    effective_date: IsoDate | None = optional()
    end_date: IsoDate | None = optional()
    renewal_date: IsoDate | None = optional()
    licence: Licence = optional()
    vrt_ticket: Annotated[str, text(40)] = optional()
    grant: Id | None = optional()
    details_public: bool = optional()
    parties: list[PartyIn] = optional(max_length=20, description="Replaces the parties.")
    checklist: dict[Topic, ChecklistIn] = optional(description="Changes the topics given.")


class PartyOut(Out):
    organization: OrganizationRef
    address: str
    signatory_name: str
    signatory_role: str
    signed_on: datetime.date | None
    executing_unit: str


class ChecklistOut(Out):
    topic: str
    score: str
    note: str


class FileOut(Out):
    number: int
    name: str
    content_type: str
    size: int
    sha256: str
    signed: bool
    uploaded_at: datetime.datetime
    url: str


class GrantRef(Out):
    id: int
    title: str


class AgreementDetails(Out):
    parties: list[PartyOut]
    checklist: list[ChecklistOut]
    files: list[FileOut]
    vrt_ticket: str
    grant: GrantRef | None


class AgreementOut(Out):
    id: int
    partnership: int
    kind: str
    title: str
    status: str
    effective_date: datetime.date | None
    end_date: datetime.date | None
    renewal_date: datetime.date | None
    licence: str
    details_public: bool
    details: AgreementDetails | None = Field(
        description="Null unless you may see the details (participants' members, staff, or public)."
    )
    version: int
    etag: str
    url: str


class AgreementList(Out):
    items: list[AgreementOut]


class WarningOut(Out):
    kind: str
    text: str
    agreement: int | None


class WarningList(Out):
    items: list[WarningOut]


def _details(request: HttpRequest, agreement: Agreement) -> dict | None:
    user = caller(request)
    if not details_visible(user, agreement):
        return None
    grant = None
    if agreement.grant_id and Grant.objects.visible_to(user).filter(pk=agreement.grant_id).exists():
        grant = {"id": agreement.grant_id, "title": agreement.grant.title}  # type: ignore[union-attr]
    return {
        "parties": [
            {
                "organization": org_ref(p.organization),
                "address": p.address,
                "signatory_name": p.signatory_name,
                "signatory_role": p.signatory_role,
                "signed_on": p.signed_on,
                "executing_unit": p.executing_unit,
            }
            for p in agreement.parties.select_related("organization")
        ],
        "checklist": [
            {"topic": i.topic, "score": i.score, "note": i.note}
            for i in agreement.checklist.order_by("pk")
        ],
        "files": [
            {
                "number": f.number,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "signed": f.signed,
                "uploaded_at": f.uploaded_at,
                "url": request.build_absolute_uri(
                    reverse(
                        "lifecycle:agreement_file_download",
                        args=[agreement.partnership_id, agreement.pk, f.number],
                    )
                ),
            }
            for f in agreement.files.order_by("number")
        ],
        "vrt_ticket": agreement.vrt_ticket,
        "grant": grant,
    }


def agreement_out(request: HttpRequest, a: Agreement) -> dict:
    return {
        "id": a.pk,
        "partnership": a.partnership_id,
        "kind": a.kind,
        "title": a.title,
        "status": a.status,
        "effective_date": a.effective_date,
        "end_date": a.end_date,
        "renewal_date": a.renewal_date,
        "licence": a.licence,
        "details_public": a.details_public,
        "details": _details(request, a),
        "version": a.version,
        "etag": etag_of(a),
        "url": request.build_absolute_uri(a.get_absolute_url()),
    }


def _agreement(request: HttpRequest, pk: int, *, edit: bool = False) -> Agreement:
    found = Agreement.objects.visible_to(caller(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    if edit:
        get_partnership_for(
            caller(request),
            found.partnership_id,
            edit=True,
            refusal=_("You cannot change this partnership's agreements."),
        )
    return found


def _answer(request, response, agreement: Agreement, status: int = 200):
    agreement = _agreement(request, agreement.pk)
    response["ETag"] = etag_of(agreement)
    return Status(status, agreement_out(request, agreement))


def _arguments(data: dict[str, Any], partnership) -> dict[str, Any]:
    """Ids to records (422 naming the path when unknown)."""
    errors = []
    arguments = dict(data)
    if "parties" in data and data["parties"] is not None:
        found = Organization.objects.in_bulk([p["organization"] for p in data["parties"]])
        parties = []
        for index, party in enumerate(data["parties"]):
            organization = found.get(party["organization"])
            if organization is None:
                errors.append(
                    {"path": f"parties.{index}.organization", "message": _("No such organization.")}
                )
            parties.append({**party, "organization": organization})
        arguments["parties"] = parties
    elif "parties" in arguments:
        del arguments["parties"]
    if data.get("grant") is not None:
        grant = Grant.objects.filter(pk=data["grant"], partnership=partnership).first()
        if grant is None:
            errors.append({"path": "grant", "message": _("Choose a grant of this partnership.")})
        arguments["grant"] = grant
    if "checklist" in arguments and arguments["checklist"] is None:
        del arguments["checklist"]
    if errors:
        raise ApiError(422, _("Some fields are invalid; see errors."), errors)
    return arguments


def _may_add(request: HttpRequest) -> None:
    get_partnership_for(
        caller(request),
        path_id(request),
        edit=True,
        refusal=_("You cannot change this partnership's agreements."),
    )


def _may_edit(request: HttpRequest) -> None:
    precondition(request, _agreement(request, path_id(request), edit=True))


@router.get(
    "/partnerships/{id}/agreements",
    response={200: AgreementList, 404: Problem},
    url_name="agreement_list",
    summary="List a partnership's agreements",
)
def agreement_list(request: HttpRequest, id: RecordId):
    partnership = get_partnership_for(caller(request), id)
    rows = Agreement.objects.visible_to(caller(request)).filter(partnership=partnership)
    return {"items": [agreement_out(request, a) for a in rows.select_related("grant")]}


@router.get(
    "/partnerships/{id}/warnings",
    response={200: WarningList, 404: Problem},
    url_name="partnership_warnings",
    summary="What needs attention about a partnership's agreements",
)
def partnership_warnings(request: HttpRequest, id: RecordId):
    """Only for those who may see its agreements' details; everyone else gets an empty list."""
    partnership = get_partnership_for(caller(request), id)
    found = warnings.warnings_for(caller(request), partnership)
    return {
        "items": [
            {"kind": w.kind, "text": w.text, "agreement": w.agreement.pk if w.agreement else None}
            for w in found
        ]
    }


@router.get(
    "/agreements/{id}",
    response={200: AgreementOut, 404: Problem},
    url_name="agreement_detail",
    summary="Read an agreement",
)
def agreement_detail(request: HttpRequest, response: HttpResponse, id: RecordId):
    return _answer(request, response, _agreement(request, id))


@router.post(
    "/partnerships/{id}/agreements",
    auth=write_auth(_may_add),
    response={201: AgreementOut, 400: Problem, 403: Problem, 404: Problem, 422: Problem},
    url_name="agreement_create",
    summary="Record an agreement",
)
def agreement_create(
    request: HttpRequest, response: HttpResponse, id: RecordId, payload: AgreementCreate
):
    """Its checklist starts with the nine topics unscored; `checklist` scores some at once."""
    partnership = get_partnership_for(caller(request), id, edit=True)
    data = payload.model_dump()
    with transaction.atomic():
        agreement = services.agreement_create(
            actor=caller(request), partnership=partnership, **_arguments(data, partnership)
        )
    response["Location"] = request.build_absolute_uri(
        reverse("api:agreement_detail", args=[agreement.pk])
    )
    return _answer(request, response, agreement, 201)


@router.patch(
    "/agreements/{id}",
    auth=write_auth(_may_edit),
    response={200: AgreementOut, **WRITE_ERRORS},
    url_name="agreement_update",
    summary="Change an agreement",
)
def agreement_update(
    request: HttpRequest,
    response: HttpResponse,
    id: RecordId,
    payload: AgreementUpdate,
    if_match: str | None = IfMatch,
):
    agreement = _agreement(request, id, edit=True)
    expected = expected_version(agreement, if_match)
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        saved = services.agreement_update(
            actor=caller(request),
            agreement=agreement,
            expected_version=expected,
            **_arguments(data, agreement.partnership),
        )
    return _answer(request, response, saved)
