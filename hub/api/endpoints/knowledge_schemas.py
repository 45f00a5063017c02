"""The shapes of the knowledge endpoints (hub/api/endpoints/knowledge.py): lessons, endorsements,
clinic questions and answers. Input schemas forbid unknown fields, as everywhere in the API."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from hub.api.endpoints import TextFilter
from hub.api.schemas import (
    GoalName,
    Id,
    IsoDate,
    OrganizationKind,
    OrganizationRef,
    Out,
    Page,
    PartnershipRef,
    Strict,
    Text200,
    VisibilityName,
    optional,
    text,
)

CategoryName = Literal[
    "event",
    "survey",
    "online_engagement",
    "outreach",
    "teamwork",
    "evaluation",
    "reporting",
    "organizational_design",
    "gender_gap",
    "wiki_design",
    "wmf_grantmaking",
    "partnerships",
    "agreements",
    "in_kind",
]
LessonKind = Literal["good", "bad", "ugly", ""]
LessonStatus = Literal["draft", "published", "needs_review"]
LanguageCode = Literal["en", "de", "fr", "es", "ar"]
StepKey = Annotated[str, text(40, 1)]
LongText = Annotated[str, text(20000)]


class Topics(Out):
    steps: list[str] = Field(description="Lifecycle steps, by their preset key.")
    goals: list[str]
    partner_types: list[str]


class LessonOut(Topics):
    id: int
    title: str
    problem: str
    solution: str
    things_to_consider: str
    when_to_use: str
    see_also: str
    category: str
    kind: str
    status: str
    review_by: datetime.date | None
    language: str
    translation_of: int | None = Field(description="The original, if you may see it.")
    organization: OrganizationRef
    partnerships: list[PartnershipRef] = Field(description="Those you may see.")
    organizations: list[OrganizationRef]
    visibility: str
    is_demo: bool
    endorsements: int
    version: int
    etag: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class LessonPage(Page):
    items: list[LessonOut]


class LessonCreate(Schema):
    model_config = Strict

    title: Text200
    organization: Id = Field(description="A movement organization you are a member of.")
    problem: Annotated[str, text(20000, 1)]
    solution: LongText = ""
    things_to_consider: LongText = ""
    when_to_use: LongText = ""
    see_also: LongText = ""
    category: CategoryName = "partnerships"
    kind: LessonKind = ""
    status: LessonStatus = "draft"
    review_by: IsoDate | None = None
    language: LanguageCode = "en"
    translation_of: Id | None = None
    visibility: VisibilityName = "public"
    partnerships: Annotated[list[Id], Field(max_length=50)] = []
    organizations: Annotated[list[Id], Field(max_length=50)] = []
    steps: Annotated[list[StepKey], Field(max_length=30)] = []
    goals: list[GoalName] = []
    partner_types: list[OrganizationKind] = []


class LessonUpdate(Schema):
    model_config = Strict

    title: Text200 = optional()
    problem: Annotated[str, text(20000, 1)] = optional()
    solution: LongText = optional()
    things_to_consider: LongText = optional()
    when_to_use: LongText = optional()
    see_also: LongText = optional()
    category: CategoryName = optional()
    kind: LessonKind = optional()
    status: LessonStatus = optional()
    review_by: IsoDate | None = optional()
    language: LanguageCode = optional()
    visibility: VisibilityName = optional()
    steps: Annotated[list[StepKey], Field(max_length=30)] = optional()
    goals: list[GoalName] = optional()
    partner_types: list[OrganizationKind] = optional()


class EndorsementOut(Out):
    id: int
    lesson: int
    user: str
    comment: str
    partnership: PartnershipRef | None = Field(description="Shown only if you may see it.")
    created_at: datetime.datetime


class EndorsementList(Out):
    items: list[EndorsementOut]


class EndorsementCreate(Schema):
    model_config = Strict

    comment: Annotated[str, text(5000)] = ""
    partnership: Id | None = Field(None, description="Evidence: a partnership it was used in.")


class AnswerOut(Out):
    id: int
    author: str
    body: str
    helped: bool
    created_at: datetime.datetime


class QuestionOut(Topics):
    id: int
    title: str
    body: str
    organization: OrganizationRef
    partnership: PartnershipRef | None = Field(description="Shown only if you may see it.")
    country: str
    language: str
    visibility: str
    status: str
    lesson: int | None
    answers: list[AnswerOut]
    created_at: datetime.datetime
    url: str


class QuestionPage(Page):
    items: list[QuestionOut]


class QuestionCreate(Schema):
    model_config = Strict

    title: Text200
    body: Annotated[str, text(20000, 1)]
    organization: Id = Field(description="A movement organization you are a member of.")
    partnership: Id | None = None
    country: Annotated[str, text(2)] = Field("", description="An ISO 3166 country code, or empty.")
    language: LanguageCode = "en"
    visibility: VisibilityName = "movement"
    steps: Annotated[list[StepKey], Field(max_length=30)] = []
    goals: list[GoalName] = []
    partner_types: list[OrganizationKind] = []


class AnswerCreate(Schema):
    model_config = Strict

    body: Annotated[str, text(20000, 1)]


class SolutionIn(Schema):
    model_config = Strict

    answer: Id = Field(description="The answer that helped.")


class LessonQuery(Schema):
    q: TextFilter = Field(None, description="Words in title, problem or solution.")
    category: TextFilter = None
    kind: TextFilter = Field(None, description="good, bad or ugly.")
    status: TextFilter = None
    step: TextFilter = Field(None, description="A lifecycle step's preset key.")
    goal: TextFilter = None
    partner_type: TextFilter = None
    language: TextFilter = None


class QuestionQuery(Schema):
    q: TextFilter = Field(None, description="Words in the question or its details.")
    status: TextFilter = Field(None, description="open (the default), solved or all.")
    step: TextFilter = Field(None, description="A lifecycle step's preset key.")
    goal: TextFilter = None
    partner_type: TextFilter = None
    country: TextFilter = None
    language: TextFilter = None
