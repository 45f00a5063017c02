"""The API's declared parameters and choices follow the pages' filters and the models' choices."""

import typing

import pytest

from hub.api import schemas
from hub.api.endpoints.contributions import ContributionQuery
from hub.api.endpoints.directory import OrganizationQuery
from hub.api.endpoints.grants import GrantQuery
from hub.api.endpoints.partnerships import PartnershipQuery
from hub.directory.forms import OrganizationFilter
from hub.directory.models import AllianceMembership, Organization
from hub.funding.contributions.filters import ContributionFilter
from hub.funding.grants.filters import GrantFilter
from hub.funding.models import Category, Grant, Unit, ValuationMethod
from hub.partnerships import extensions
from hub.partnerships.filters import PartnershipFilter
from hub.partnerships.models import Goal, Participant, Partnership


@pytest.mark.parametrize(
    ("query", "form"),
    [
        (PartnershipQuery, PartnershipFilter),
        (OrganizationQuery, OrganizationFilter),
        (ContributionQuery, ContributionFilter),
        (GrantQuery, GrantFilter),
    ],
)
def test_every_filter_of_the_page_is_a_documented_parameter(query, form):
    names = set(form.base_fields)
    if form is PartnershipFilter:  # and the filters upper apps add (hub.partnerships.extensions)
        names |= {extension.name for extension in extensions.extensions()}
    assert set(query.model_fields) == names


@pytest.mark.parametrize(
    ("literal", "choices"),
    [
        (schemas.OrganizationKind, Organization.Kind.values),
        (schemas.GoalName, Goal.values),
        (schemas.Structure, Partnership.Structure.values),
        (schemas.Direction, Partnership.Direction.values),
        (schemas.Status, Partnership.Status.values),
        (schemas.EndStatus, [s.value for s in Partnership.END_STATUSES]),
        (schemas.Scope, Partnership.Scope.values),
        (schemas.ParticipantRole, Participant.Role.values),
        (schemas.PartnerRole, [r for r in Participant.Role.values if r != "lead"]),
        (schemas.AllianceRole, AllianceMembership.Role.values),
        (schemas.Category, Category.values),
        (schemas.Unit, Unit.values),
        (schemas.ValuationMethod, ValuationMethod.values),
        (schemas.GrantStatus, Grant.Status.values),
    ],
)
def test_declared_choices_match_the_models(literal, choices):
    assert list(typing.get_args(literal)) == list(choices)
