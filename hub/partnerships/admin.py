from django.contrib import admin

from hub.partnerships.models import (
    Participant,
    Partnership,
    PartnershipLink,
    Theme,
    WikimediaProject,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Read-mostly: changes belong in the pages, where services record history."""

    list_display = ["title", "lead", "status", "visibility", "start_date"]
    list_filter = ["status", "visibility", "structure", "direction"]
    search_fields = ["title"]
    inlines = [ParticipantInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register([Theme, WikimediaProject, PartnershipLink])
