from django.contrib import admin

from hub.directory.models import AllianceMembership, Organization, Person


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
    list_display = ["name", "organization", "steward", "archived"]
    autocomplete_fields = ["organization", "steward"]
