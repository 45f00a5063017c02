from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hub.directory.models import AllianceMembership, Organization, Person
from hub.directory.services import person_erase


class AllianceMembershipInline(admin.TabularInline):
    model = AllianceMembership
    fk_name = "alliance"
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_code", "kind", "country", "status", "verified"]
    list_filter = ["kind", "status", "verified"]
    search_fields = ["name", "short_code", "wikidata_id"]
    inlines = [AllianceMembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "steward", "archived", "erased_at"]
    autocomplete_fields = ["organization", "steward"]
    actions = ["erase_personal_data"]

    @admin.action(description=_("Erase the personal data of the selected contacts"))
    def erase_personal_data(self, request, queryset) -> None:
        for person in queryset.filter(erased_at__isnull=True):
            person_erase(actor=request.user, person=person)
        self.message_user(request, _("Their personal data were erased."))

    # Deleting a contact here erases its data first: otherwise they would stay in its history.
    def delete_model(self, request, obj) -> None:
        if obj.erased_at is None:
            person_erase(actor=request.user, person=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for person in queryset.filter(erased_at__isnull=True):
            person_erase(actor=request.user, person=person)
        super().delete_queryset(request, queryset)
