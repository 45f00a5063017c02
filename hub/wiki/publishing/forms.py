"""Forms of wiki publishing: validation only; writes go through hub.wiki.publishing.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.wiki.publishing.models import WikiConnection

MAX_TITLE = 255


class ConnectionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    label = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("How people choose this account when they publish, e.g. 'Meta-Wiki bot'."),
    )
    api_url = forms.CharField(
        label=_("Wiki"),
        max_length=500,
        help_text=_(
            "The wiki's address or its API address, e.g. meta.wikimedia.org or "
            "https://wiki.example.org/w/api.php."
        ),
    )
    kind = forms.ChoiceField(label=_("Sign-in"), choices=WikiConnection.Kind.choices)
    username = forms.CharField(
        label=_("Account"),
        max_length=255,
        required=False,
        help_text=_("For a bot password: the name Special:BotPasswords gives, 'Account@BotName'."),
    )
    secret = forms.CharField(
        label=_("Bot password or access token"),
        max_length=4000,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.managed_by(user).movement().order_by("name")  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    connection = forms.ModelChoiceField(
        label=_("Wiki account"), queryset=WikiConnection.objects.none()
    )
    title = forms.CharField(label=_("Page title"), max_length=MAX_TITLE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["connection"]
        field.queryset = WikiConnection.objects.usable_by(user).select_related("organization")  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: f"{c.label} ({c.organization.name})"  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title or any(ch in title for ch in "|[]{}<>#"):
            raise forms.ValidationError(
                _("A page title cannot hold | [ ] { } < > or #."), code="invalid_title"
            )
        return title


class ConfirmForm(PublishForm):
    """The second step: what the person saw (the page's revision) and what they chose."""

    seen_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    overwrite = forms.BooleanField(
        label=_("Overwrite the changes made on the wiki"), required=False
    )


class TakeBackForm(forms.Form):
    fields_chosen = forms.MultipleChoiceField(
        label=_("Fields to take into the hub's record"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_chosen"].choices = choices  # type: ignore[attr-defined]
