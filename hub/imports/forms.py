"""Forms of the spreadsheet import pages: upload, column mapping, confirmation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization
from hub.imports.columns import IGNORE, Target
from hub.imports.kinds import KINDS
from hub.wiki.client import WikiError, api_url_for, host_allowed


def _day_first_field() -> forms.TypedChoiceField:
    """How to read dates like 1/3/2024: the same question for a file and for a wiki page."""
    return forms.TypedChoiceField(
        label=_("Dates like 1/3/2024 mean"),
        choices=[("1", _("1 March 2024 (day first)")), ("0", _("3 January 2024 (month first)"))],
        coerce=lambda value: value == "1",
        initial="1",
    )


class UploadForm(forms.Form):
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Receiving organization"), queryset=Organization.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV, XLSX or ODS. In a workbook, the sheet with the list is found; you can choose "
            "another on the next page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx,.ods"}),
    )
    default_currency = forms.RegexField(
        label=_("Currency of values that name none"),
        regex=r"^[A-Za-z]{3}$",
        initial="EUR",
        max_length=3,
        error_messages={"invalid": _("Three letters, such as EUR.")},
    )
    day_first = _day_first_field()

    def __init__(self, *args, organizations, currency: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        organization_field: forms.ModelChoiceField = self.fields["organization"]  # type: ignore[assignment]
        organization_field.queryset = organizations
        if not currency:  # a kind without amounts (partnerships, organizations) asks none
            del self.fields["default_currency"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # checked before anything reads the content
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; the hub reads files up to %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{settings.MAX_UPLOAD_BYTES / 1048576:.0f}",
                },
                code="too_large",
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        return upload

    def clean_default_currency(self):
        return self.cleaned_data["default_currency"].upper()


# Where the movement's lists are (domain.md §3.3), offered first when the operator allows it
META_WIKI = "meta.wikimedia.org"
OTHER_WIKI = ""


def wiki_choices() -> list[tuple[str, str | Promise]]:
    """The wikis to pick from: Meta-Wiki, and each single host of WIKI_ALLOWED_HOSTS ("*.x"
    patterns name no one wiki), then another wiki given by its address."""
    hosts = [META_WIKI] if host_allowed(META_WIKI) else []
    for pattern in settings.WIKI_ALLOWED_HOSTS:
        host = pattern.strip().lower()
        if host and not host.startswith("*.") and host not in hosts:
            hosts.append(host)
    named: dict[str, str | Promise] = {META_WIKI: _("Meta-Wiki (meta.wikimedia.org)")}
    return [(host, named.get(host, host)) for host in hosts] + [
        (OTHER_WIKI, _("Another wiki: give its address below"))
    ]


class WikiImportForm(forms.Form):
    """What to import from which wiki page, for which organization. `cleaned_data["api_url"]` is
    the wiki's Action API address, checked against WIKI_ALLOWED_HOSTS."""

    kind = forms.ChoiceField(label=_("What to import"))
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("For which organization"), queryset=Organization.objects.none(), empty_label=None
    )
    wiki = forms.ChoiceField(label=_("Wiki"), required=False)
    address = forms.CharField(
        label=_("Another wiki's address"),
        required=False,
        max_length=500,
        help_text=_(
            "Only if the wiki is not in the list: its address (such as wiki.example.org) or its "
            "api.php address."
        ),
    )
    title = forms.CharField(
        label=_("Page title"),
        max_length=255,
        help_text=_("As the wiki writes it, such as Iberocoop or Wikimedia chapters/Members."),
    )
    day_first = _day_first_field()

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        kind_field: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
        kind_field.choices = [(kind.name, kind.records_label) for kind in KINDS.values()]
        wiki_field: forms.ChoiceField = self.fields["wiki"]  # type: ignore[assignment]
        wikis = wiki_choices()
        wiki_field.choices = wikis
        wiki_field.initial = wikis[0][0]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        address = (cleaned.get("address") or "").strip()
        wiki = address or cleaned.get("wiki") or ""
        if not wiki:
            self.add_error(
                "address",
                ValidationError(
                    _("Choose a wiki, or give the address of another."), code="no_wiki"
                ),
            )
            return cleaned
        try:
            cleaned["api_url"] = api_url_for(wiki)
        except WikiError as exc:
            self.add_error(
                "address" if address else "wiki", ValidationError(str(exc), code="not_allowed")
            )
        return cleaned


class MappingForm(forms.Form):
    """One choice per column of the file: which field (of the job's kind, `targets`) it feeds."""

    def __init__(
        self,
        *args,
        headers: list[str],
        mapping: dict[str, str],
        targets: tuple[Target, ...],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.by_name = {t.name: t for t in targets}
        choices = [(IGNORE, _("(do not import)"))] + [(t.name, t.label) for t in targets]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=mapping.get(header, IGNORE),
            )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        used: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            target = cleaned.get(f"col_{index}") or IGNORE
            if target == IGNORE:
                continue
            if target in used and not self.by_name[target].repeatable:
                self.add_error(
                    f"col_{index}",
                    ValidationError(
                        _("'%(field)s' is already fed by the column '%(other)s'.")
                        % {"field": self.by_name[target].label, "other": used[target]},
                        code="twice",
                    ),
                )
            used[target] = header
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"col_{index}") or IGNORE
            for index, header in enumerate(self.headers)
        }

    def rows(self):
        return [(header, self[f"col_{index}"]) for index, header in enumerate(self.headers)]


class SheetForm(forms.Form):
    """Which sheet of a workbook (or table of a wiki page) to read, shown only when it has more
    than one."""

    sheet: forms.ChoiceField = forms.ChoiceField(label=_("Sheet"), required=False)

    def __init__(self, *args, sheets: list[tuple[str, bool]], tables: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.ChoiceField = self.fields["sheet"]  # type: ignore[assignment]
        if tables:  # a wiki page's tables, offered as a workbook's sheets
            field.label = _("Table")
        field.choices = [
            (name, _("%(name)s (hidden)") % {"name": name} if hidden else name)
            for name, hidden in sheets
        ]


class ConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(required=False)


NEW_ORGANIZATION = 0


class MatchesForm(forms.Form):
    """For each name the check could not match for certain (the preview's `uncertain` list: the
    name as written, its folded key, and the candidates' ids and labels), which organization it
    is, or a new one."""

    def __init__(self, *args, uncertain: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.uncertain = uncertain
        for index, item in enumerate(uncertain):
            choices = [(str(c["id"]), c["label"]) for c in item["candidates"]]
            choices.append((str(NEW_ORGANIZATION), _("None of these: add it to the directory")))
            self.fields[f"match_{index}"] = forms.TypedChoiceField(
                label=item["name"],
                choices=choices,
                coerce=int,
                # Codex's radio: the input lies over its drawn icon, so the icon takes no click
                widget=forms.RadioSelect(attrs={"class": "cdx-radio__input"}),
                initial=item.get("chosen"),
                required=False,
            )

    def choices(self) -> dict[str, int]:
        """folded name -> the chosen organization's id (NEW_ORGANIZATION for a new one), for the
        names the person answered."""
        chosen = {}
        for index, item in enumerate(self.uncertain):
            value = self.cleaned_data.get(f"match_{index}")
            if value not in (None, ""):
                chosen[item["key"]] = value
        return chosen

    def rows(self):
        return [(item, self[f"match_{index}"]) for index, item in enumerate(self.uncertain)]
