"""The API's typed shapes. Input schemas forbid unknown fields, so ids, versions, history or dates
of creation can never be assigned through a payload (mass assignment)."""

import datetime
import re
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

# Written out (not derived) so type checkers and readers see them; a test compares them to the models.
OrganizationKind = Literal[
    "chapter",
    "thematic_organization",
    "user_group",
    "hub",
    "network",
    "wmf",
    "museum",
    "library",
    "archive",
    "gallery",
    "university_research",
    "school",
    "government",
    "intergovernmental",
    "ngo",
    "open_knowledge",
    "company",
    "funder",
    "media",
    "other",
]
GoalName = Literal["funding", "content", "advocacy"]
Structure = Literal["simple", "complex"]
Direction = Literal["internal", "external"]
Status = Literal["idea", "prospect", "active", "paused", "completed", "ended_early", "declined"]
EndStatus = Literal["completed", "ended_early", "declined"]
Scope = Literal["local", "national", "regional", "global"]
VisibilityName = Literal["public", "movement", "private"]
PartnerRole = Literal["partner", "funder", "backbone", "host", "content_provider", "supporter"]
ParticipantRole = Literal[
    "lead", "partner", "funder", "backbone", "host", "content_provider", "supporter"
]
AllianceRole = Literal["member", "steering", "fiscal_sponsor", "host", "observer"]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**kwargs: Any) -> Any:
    """A PATCH field: leaving it out keeps the stored value; the schema shows no null default."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


# --- output ---------------------------------------------------------------------------------------


class OrganizationRef(Schema):
    id: int
    name: str
    short_code: str | None


class OrganizationOut(Schema):
    id: int
    name: str
    local_name: str
    short_code: str | None
    kind: OrganizationKind
    movement: bool
    status: Literal["active", "former"]
    country: str
    city: str
    recognized_on: str
    website: str
    wikidata_id: str
    description: str
    url: str


class MemberOut(Schema):
    organization: OrganizationRef
    role: AllianceRole
    since: datetime.date | None
    until: datetime.date | None


class AllianceOut(OrganizationOut):
    members: list[MemberOut]


class PersonOut(Schema):
    id: int
    name: str
    role: str
    email: str
    phone: str
    organization: OrganizationRef
    steward: OrganizationRef
    consent_note: str
    archived: bool


class ParticipantOut(Schema):
    organization: OrganizationRef
    kind: OrganizationKind
    role: ParticipantRole


class LinkOut(Schema):
    label: str
    url: str


class PartnershipOut(Schema):
    id: int
    title: str
    description: str
    lead: OrganizationRef
    participants: list[ParticipantOut]
    goals: list[GoalName]
    structure: Structure
    direction: Direction
    direction_override: Direction | Literal[""]
    direction_override_reason: str
    status: Status
    scope: Scope
    start_date: datetime.date | None
    end_date: datetime.date | None
    end_reason: str
    visibility: VisibilityName
    projects: list[str]
    themes: list[str]
    links: list[LinkOut]
    version: int
    etag: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class Page(Schema):
    next: str | None = Field(description="The URL of the next page; null on the last page.")
    notices: list[str] = Field(
        default_factory=list, description="Filters that were ignored, and why (as on the pages)."
    )


class OrganizationPage(Page):
    items: list[OrganizationOut]


class AlliancePage(Page):
    items: list[AllianceOut]


class PersonPage(Page):
    items: list[PersonOut]


class PartnershipPage(Page):
    items: list[PartnershipOut]


# --- input ----------------------------------------------------------------------------------------

# Strict: no silent coercion ("1" is not 1, 0 is not a date); unknown fields are refused by name.
Strict = ConfigDict(extra="forbid", strict=True)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("Not a real date; write YYYY-MM-DD.") from exc
    if value is None:
        return None
    raise ValueError("Write the date as YYYY-MM-DD.")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
# Text never carries NUL characters (PostgreSQL refuses them); the schema says so to clients.
NO_NUL = r"^[^\x00]*$"
Text200 = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
ThemeName = Annotated[str, Field(min_length=1, max_length=80, pattern=NO_NUL)]
ProjectCode = Annotated[str, Field(min_length=1, max_length=30, pattern=NO_NUL)]


def text(max_length: int, min_length: int = 0) -> Any:
    return Field(min_length=min_length, max_length=max_length, pattern=NO_NUL)


Id = Annotated[int, Field(ge=1, le=2**53)]


class ParticipantIn(Schema):
    model_config = Strict

    organization: Id = Field(description="The id of an organization in the directory.")
    role: PartnerRole = "partner"


class LinkIn(Schema):
    model_config = Strict

    label: Annotated[str, text(120)] = ""
    url: Annotated[str, text(500, 1)]


class PartnershipCreate(Schema):
    model_config = Strict

    title: Text200
    lead: Id = Field(description="A movement organization you edit for.")
    participants: Annotated[list[ParticipantIn], Field(min_length=1, max_length=50)]
    goals: Annotated[list[GoalName], Field(min_length=1)]
    structure: Structure = "simple"
    status: Status = "active"
    scope: Scope = "local"
    visibility: VisibilityName = "public"
    description: Annotated[str, text(20000)] = ""
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    direction_override: Direction | Literal[""] = ""
    direction_override_reason: Annotated[str, text(300)] = ""
    projects: Annotated[list[ProjectCode], Field(max_length=50)] = []
    themes: Annotated[list[ThemeName], Field(max_length=50)] = []
    links: Annotated[list[LinkIn], Field(max_length=50)] = []


class PartnershipUpdate(Schema):
    """Send only what changes; `participants`, `projects`, `themes` and `links` replace the lists."""

    model_config = Strict

    title: Text200 = optional()
    lead: Id = optional(description="A movement organization you edit for.")
    participants: Annotated[list[ParticipantIn], Field(min_length=1, max_length=50)] = optional()
    goals: Annotated[list[GoalName], Field(min_length=1)] = optional()
    structure: Structure = optional()
    status: Status = optional()
    scope: Scope = optional()
    visibility: VisibilityName = optional()
    description: Annotated[str, text(20000)] = optional()
    start_date: IsoDate | None = optional()
    end_date: IsoDate | None = optional()
    direction_override: Direction | Literal[""] = optional()
    direction_override_reason: Annotated[str, text(300)] = optional()
    projects: Annotated[list[ProjectCode], Field(max_length=50)] = optional()
    themes: Annotated[list[ThemeName], Field(max_length=50)] = optional()
    links: Annotated[list[LinkIn], Field(max_length=50)] = optional()


class PartnershipEnd(Schema):
    model_config = Strict

    status: EndStatus = "completed"
    end_date: IsoDate | None = None
    reason: Annotated[str, text(5000)] = ""
