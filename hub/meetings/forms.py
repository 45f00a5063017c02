"""The meeting, participant, decision, action item and status forms: validation only (the
single-row rules are the models'); writes go through hub.meetings.services."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import User
from hub.core.forms import RecordChoiceField, VersionedForm, WholeNumberField, parse_int
from hub.core.models import Visibility
from hub.core.weburl import WebURLFormField
from hub.directory.fields import OrganizationField
from hub.directory.models import Organization, Person
from hub.meetings.models import ActionItem, Meeting, time_zone_choices, writes_for
from hub.partnerships.fields import PartnershipField
from hub.partnerships.models import Partnership

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class NamedChoice(forms.ModelMultipleChoiceField):
    """Checkboxes of records by name; an id the database cannot hold is an unknown choice like
    any other, never a database error."""

    def _check_values(self, value):
        for pk in value or ():
            if parse_int(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        return getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if isinstance(obj, User):
            return obj.get_full_name() or obj.username
        return str(obj)


def _local_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)


class MeetingForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=_local_input(), input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=_local_input(), input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"]
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=_("The start and end are times in this zone."),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = WebURLFormField(label=_("Online link"), max_length=2048, required=False)
    organizations = NamedChoice(
        label=_("Organized by"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one movement organization you are a member of."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.MOVEMENT
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    partnerships = NamedChoice(
        label=_("Partnerships"),
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    alliances = NamedChoice(
        label=_("Alliances and hubs"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user, instance: Meeting | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "starts_at": instance.local_start.replace(tzinfo=None),
                "ends_at": instance.local_end.replace(tzinfo=None),
                "time_zone": instance.time_zone,
                "place": instance.place,
                "online_link": instance.online_link,
                "organizations": list(instance.organizations.values_list("pk", flat=True)),
                "visibility": instance.visibility,
                "agenda": instance.agenda,
                "notes": instance.notes,
                "partnerships": list(
                    instance.partnerships.visible_to(user).values_list("pk", flat=True)
                ),
                "alliances": list(instance.alliances.values_list("pk", flat=True)),
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        organizers = Q(pk__in=writes_for(user).values("pk"))
        mine = Organization.objects.member_of(user).values("pk")
        offered = Q(pk__in=Partnership.objects.with_organization(mine).values("pk"))
        if instance is not None:
            organizers |= Q(pk__in=instance.organizations.values("pk"))
            offered |= Q(pk__in=instance.partnerships.values("pk"))
        self.fields["organizations"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            organizers
        ).order_by("name")
        self.fields["partnerships"].queryset = (  # type: ignore[attr-defined]
            Partnership.objects.visible_to(user).filter(offered).order_by("title")
        )
        self.fields["alliances"].queryset = Organization.objects.alliances().order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if not data:
            return data
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                moment = data.get(name)
                if isinstance(moment, datetime.datetime):
                    data[name] = moment.replace(tzinfo=None).replace(tzinfo=zone)
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("A meeting ends after it starts."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        partnerships = list(data["partnerships"])
        if self.instance is not None:
            # Links to partnerships this editor may not see are kept, never lost.
            partnerships += list(
                self.instance.partnerships.exclude(
                    pk__in=Partnership.objects.visible_to(self.user).values("pk")
                )
            )
        data["partnerships"] = partnerships
        data["organizations"] = list(data["organizations"])
        data["alliances"] = list(data["alliances"])
        return data


def people_of(meeting: Meeting):
    """Who may own a next step or be added as a member: active members of the organizing
    organizations and members listed as participants."""
    organizers = meeting.organizations.values("pk")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organization__in=organizers)
            | Exists(meeting.participants.filter(user=OuterRef("pk")))
        )
        .distinct()
        .order_by("username")
    )


class ParticipantForm(forms.Form):
    user = PersonChoice(label=_("Member"), queryset=User.objects.none(), required=False)
    person = PersonChoice(label=_("Contact person"), queryset=Person.objects.none(), required=False)
    name = forms.CharField(
        label=_("Or a name"),
        max_length=200,
        required=False,
        help_text=_("For someone who is neither a member nor a contact person."),
    )
    organization = OrganizationField(label=_("Their organization"), required=False)
    private = forms.BooleanField(
        label=_("Private participant"),
        required=False,
        help_text=_("Named only to those who may edit the meeting; others see a count."),
    )

    def __init__(self, *args: Any, user, meeting: Meeting, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(meeting)  # type: ignore[attr-defined]
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.visible_to(user).filter(erased_at__isnull=True).order_by("name")
        )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is not None:
            given = [data.get("user"), data.get("person"), (data.get("name") or "").strip()]
            if sum(1 for g in given if g) != 1:
                self.add_error("name", _("Give a member, a contact person or a name: exactly one."))
        return data


class DecisionForm(forms.Form):
    statement = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(
        label=_("Review on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: when to look at it again."),
    )


class ActionItemForm(VersionedForm):
    what = forms.CharField(label=_("What"), max_length=300)
    owner = PersonChoice(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A member who can see this meeting."),
    )
    owner_organization = OrganizationField(
        label=_("Taken by organization"),
        required=False,
        help_text=_("The organization that took it; give it, the owner, or both."),
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItem.Status.choices, initial=ActionItem.Status.NEEDS_ACTION
    )
    decision = forms.ModelChoiceField(
        label=_("From the decision"), queryset=Meeting.objects.none(), required=False
    )
    alliance = forms.ModelChoiceField(
        label=_("Serves the alliance"), queryset=Organization.objects.none(), required=False
    )
    remind_days_before = WholeNumberField(
        label=_("Remind days before"),
        min_value=0,
        max_value=60,
        initial=3,
        help_text=_("E-mail the owner this many days before the due date; 0: no reminder."),
    )

    def __init__(
        self, *args: Any, user, meeting: Meeting, instance: ActionItem | None = None, **kwargs
    ):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "what": instance.what,
                "owner": instance.owner_id,
                "owner_organization": instance.owner_organization,
                "due_on": instance.due_on,
                "status": instance.status,
                "decision": instance.decision_id,
                "alliance": instance.alliance_id,
                "remind_days_before": instance.remind_days_before,
                "partnership": instance.partnership
                if instance.partnership_id
                and Partnership.objects.visible_to(user).filter(pk=instance.partnership_id).exists()
                else None,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.hidden_partnership = bool(
            instance is not None
            and instance.partnership_id
            and not Partnership.objects.visible_to(user).filter(pk=instance.partnership_id).exists()
        )
        self.fields["owner"].queryset = people_of(meeting)  # type: ignore[attr-defined]
        self.fields["decision"].queryset = meeting.decisions.all()  # type: ignore[attr-defined]
        self.fields["alliance"].queryset = Organization.objects.alliances().order_by("name")  # type: ignore[attr-defined]
        self.fields["partnership"] = PartnershipField(
            label=_("Serves the partnership"),
            required=False,
            queryset=Partnership.objects.visible_to(user),
            help_text=_("Optional. Type a part of its title."),
        )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if data is not None and not data.get("owner") and not data.get("owner_organization"):
            self.add_error("owner", _("Give the person or the organization who took it."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.hidden_partnership and not data.get("partnership"):
            # A link to a partnership this editor may not see is kept, never lost.
            data.pop("partnership", None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class MeetingFilter(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All meetings")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    organization = RecordChoiceField(
        label=_("Organized by"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Any organization"),
    )

    def __init__(self, *args: Any, organizers, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizers  # type: ignore[attr-defined]

    def apply(self, qs):
        if not self.is_valid():
            return qs
        when = self.cleaned_data.get("when")
        if when == "upcoming":
            qs = qs.upcoming().order_by("starts_at", "pk")
        elif when == "past":
            qs = qs.past()
        organization = self.cleaned_data.get("organization")
        if organization is not None:
            qs = qs.filter(organizations=organization)
        return qs
