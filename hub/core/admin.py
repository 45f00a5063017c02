from django.contrib import admin

from hub.core.models import HistoryEntry


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "object_repr", "action", "actor"]
    list_filter = ["action", "content_type"]
    readonly_fields = [f.name for f in HistoryEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
