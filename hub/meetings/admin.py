from django.contrib import admin

from hub.meetings.models import ActionItem, CalendarFeed, Decision, Meeting, Participant


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-mostly: changes belong in the pages, where services record history."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "time_zone", "visibility", "is_demo"]
    list_filter = ["visibility", "is_demo"]
    search_fields = ["title"]
    inlines = [DecisionInline]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "name", "user", "person", "organization", "private"]
    list_filter = ["private"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["what", "meeting", "owner", "owner_organization", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["what"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Only that a person has an address, and when it was last read: never the address."""

    list_display = ["user", "created_at", "last_read_at"]
    exclude = ["token_hash"]
