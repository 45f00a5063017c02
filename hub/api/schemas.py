"""The API's typed shapes. Input schemas forbid unknown fields, so ids, versions, history or dates
of creation can never be assigned through a payload (mass assignment)."""

import datetime
import re
from typing import Annotated, Any, Literal

from django.utils.translation import gettext_noop
from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

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

# Plain pydantic models: the endpoints build dicts, so ninja's attribute resolution (made for ORM
# objects) would only cost time on every row of a list.
Out = BaseModel


class OrganizationRef(Out):
    id: int
    name: str
    short_code: str | None


class OrganizationOut(Out):
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
    wikidata_labels: dict[str, str] = Field(
        description="Its Wikidata item's labels in the interface languages (en, de, fr, es, ar)."
    )
    ror_id: str = Field(description="Research Organization Registry id, e.g. 05gq02987.")
    isil: str = Field(description="International Standard Identifier for Libraries and Archives.")
    viaf_id: str = Field(description="Virtual International Authority File id.")
    description: str
    url: str


class MemberOut(Out):
    organization: OrganizationRef
    role: AllianceRole
    since: datetime.date | None
    until: datetime.date | None


class AllianceOut(OrganizationOut):
    members: list[MemberOut]


class PersonOut(Out):
    id: int
    name: str
    role: str
    email: str
    phone: str
    organization: OrganizationRef
    steward: OrganizationRef
    consent_note: str
    archived: bool


class ParticipantOut(Out):
    organization: OrganizationRef
    kind: OrganizationKind
    role: ParticipantRole


class LinkOut(Out):
    label: str
    url: str


class PartnershipOut(Out):
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


class Page(Out):
    next: str | None = Field(description="The URL of the next page; null on the last page.")
    notices: list[str] = Field(
        description="Filters that were ignored, and why (as on the pages); always sent."
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
            # Translated when the error is answered (problems.pydantic_errors).
            raise ValueError(gettext_noop("Not a real date; write YYYY-MM-DD.")) from exc
    if value is None:
        return None
    raise ValueError(gettext_noop("Write the date as YYYY-MM-DD."))


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


# --- funding --------------------------------------------------------------------------------------

Category = Literal[
    "venue_space",
    "catering",
    "travel_accommodation",
    "equipment_goods",
    "printing_merchandise",
    "professional_services",
    "staff_time",
    "volunteer_time",
    "media_advertising",
    "prizes",
    "software_licences",
    "content_licensing",
    "other",
]
Unit = Literal["hours", "persons", "days", "m2_days", "items"]
ValuationMethod = Literal["fair_market_value", "donor_stated", "standard_rate", "waived_invoice"]
GrantStatus = Literal["prospect", "applied", "awarded", "declined", "reported"]
# Money and quantities travel as strings ("1234.50"), never as binary floats.
Money = Annotated[str, Field(pattern=r"^[0-9]{1,14}(\.[0-9]{1,2})?$", examples=["1234.50"])]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]


class PartnershipRef(Out):
    id: int
    title: str


class ContributionOut(Out):
    id: int
    receiving_organization: OrganizationRef
    donor_organization: OrganizationRef | None
    donor_name: str
    partnership: PartnershipRef | None = Field(description="Shown only if you may see it.")
    date: datetime.date
    period_end: datetime.date | None
    category: Category
    description: str
    quantity: str | None
    unit: Unit | Literal[""]
    value: str
    currency: str
    valuation_method: ValuationMethod
    value_source: Literal["given", "rate"]
    evidence_url: str
    acknowledgement: str
    confidential: bool
    archived: bool
    version: int
    etag: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class ContributionPage(Page):
    items: list[ContributionOut]


class ContributionCreate(Schema):
    """Without `value`, the value comes from the receiving organization's valuation rate."""

    model_config = Strict

    receiving_organization: Id = Field(description="A movement organization you edit for.")
    donor_organization: Id | None = None
    donor_name: Annotated[str, text(200)] = ""
    partnership: Id | None = None
    date: IsoDate
    period_end: IsoDate | None = None
    category: Category
    description: Annotated[str, text(20000)] = ""
    quantity: Money | None = None
    unit: Unit | Literal[""] = ""
    value: Money | None = None
    currency: Currency | Literal[""] = ""
    valuation_method: ValuationMethod | Literal[""] = ""
    evidence_url: Annotated[str, text(500)] = ""
    acknowledgement: Annotated[str, text(20000)] = ""
    confidential: bool = False


class ContributionUpdate(Schema):
    """Send only what changes. `value: null` asks for the value from the rate in force."""

    model_config = Strict

    receiving_organization: Id = optional()
    donor_organization: Id | None = optional()
    donor_name: Annotated[str, text(200)] = optional()
    partnership: Id | None = optional()
    date: IsoDate = optional()
    period_end: IsoDate | None = optional()
    category: Category = optional()
    description: Annotated[str, text(20000)] = optional()
    quantity: Money | None = optional()
    unit: Unit | Literal[""] = optional()
    value: Money | None = optional()
    currency: Currency = optional()
    valuation_method: ValuationMethod | Literal[""] = optional()
    evidence_url: Annotated[str, text(500)] = optional()
    acknowledgement: Annotated[str, text(20000)] = optional()
    confidential: bool = optional()


class RateOut(Out):
    id: int
    organization: OrganizationRef
    category: Category
    unit: Unit
    amount: str
    currency: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    note: str


class RatePage(Page):
    items: list[RateOut]


class DeadlineOut(Out):
    due_date: datetime.date
    description: str
    done: bool


class GrantOut(Out):
    id: int
    title: str
    funder: OrganizationRef
    recipient: OrganizationRef
    partnership: PartnershipRef | None = Field(description="Shown only if you may see it.")
    amount: str
    currency: str
    restricted: bool
    restriction: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    status: GrantStatus
    description: str
    confidential: bool
    deadlines: list[DeadlineOut]
    version: int
    etag: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str


class GrantPage(Page):
    items: list[GrantOut]


class GrantCreate(Schema):
    model_config = Strict

    title: Text200
    funder: Id
    recipient: Id = Field(description="A movement organization you edit for.")
    amount: Money
    currency: Currency
    status: GrantStatus = "prospect"
    partnership: Id | None = None
    restricted: bool = False
    restriction: Annotated[str, text(20000)] = ""
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    description: Annotated[str, text(20000)] = ""
    confidential: bool = False


class GrantUpdate(Schema):
    model_config = Strict

    title: Text200 = optional()
    funder: Id = optional()
    recipient: Id = optional()
    amount: Money = optional()
    currency: Currency = optional()
    status: GrantStatus = optional()
    partnership: Id | None = optional()
    restricted: bool = optional()
    restriction: Annotated[str, text(20000)] = optional()
    period_start: IsoDate | None = optional()
    period_end: IsoDate | None = optional()
    description: Annotated[str, text(20000)] = optional()
    confidential: bool = optional()
