"""The shapes of the resource library's endpoints (hub/api/endpoints/resources.py). Input schemas
forbid unknown fields, as everywhere in the API."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from hub.api.endpoints import TextFilter
from hub.api.endpoints.knowledge_schemas import LanguageCode, LongText, StepKey, Topics
from hub.api.schemas import (
    GoalName,
    Id,
    IsoDate,
    OrganizationKind,
    OrganizationRef,
    Page,
    Strict,
    Text200,
    VisibilityName,
    optional,
    text,
)

ResourceKind = Literal["template", "guide", "link", "file"]
LicenceName = Literal[
    "cc0",
    "cc-by-4.0",
    "cc-by-sa-4.0",
    "public-domain",
    "all-rights-reserved",
    "other",
    "not-stated",
]
Address = Annotated[str, text(500)]


class ResourceOut(Topics):
    id: int
    title: str
    kind: str
    description: str
    address: str = Field(description="Where it is (empty for a file).")
    file: str | None = Field(description="The file's download address, if it has one.")
    file_name: str
    size: int
    language: str
    licence: str
    review_by: datetime.date
    due_for_review: bool
    organization: OrganizationRef
    visibility: str
    is_demo: bool
    version: int
    etag: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class ResourcePage(Page):
    items: list[ResourceOut]


class ResourceCreate(Schema):
    model_config = Strict

    title: Text200
    kind: ResourceKind
    organization: Id = Field(description="A movement organization you are a member of.")
    address: Address = Field(description="Its web address (files are uploaded on its page).")
    description: LongText = ""
    language: LanguageCode = "en"
    licence: LicenceName = "not-stated"
    review_by: IsoDate
    visibility: VisibilityName = "public"
    steps: Annotated[list[StepKey], Field(max_length=30)] = []
    goals: list[GoalName] = []
    partner_types: list[OrganizationKind] = []


class ResourceUpdate(Schema):
    model_config = Strict

    title: Text200 = optional()
    kind: ResourceKind = optional()
    address: Address = optional()
    description: LongText = optional()
    language: LanguageCode = optional()
    licence: LicenceName = optional()
    review_by: IsoDate = optional()
    visibility: VisibilityName = optional()
    steps: Annotated[list[StepKey], Field(max_length=30)] = optional()
    goals: list[GoalName] = optional()
    partner_types: list[OrganizationKind] = optional()


class ResourceQuery(Schema):
    q: TextFilter = Field(None, description="Words in title or description.")
    kind: TextFilter = None
    step: TextFilter = Field(None, description="A lifecycle step's preset key.")
    goal: TextFilter = None
    partner_type: TextFilter = None
    language: TextFilter = None
    licence: TextFilter = None
    review: TextFilter = Field(None, description="`due`: those due for review.")
