"""Assessments in the admin, read only: changes belong in the pages, where services check
permission and record history."""

from django.contrib import admin

from hub.alliances.assessments.models import Assessment, Score


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    fields = ["item", "level", "comment"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["alliance", "assessor", "organization", "assessed_on", "sharing", "is_demo"]
    list_filter = ["sharing", "is_demo"]
    inlines = [ScoreInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
