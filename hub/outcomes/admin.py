from django.contrib import admin

from hub.outcomes.models import Figure, MetricDefinition


@admin.register(MetricDefinition)
class MetricDefinitionAdmin(admin.ModelAdmin):
    """Staff add a new version of a definition here; a version once made is never changed (its
    figures were measured with it)."""

    list_display = ["key", "version", "name", "unit", "key_kind", "confirmed"]
    list_filter = ["key", "confirmed"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    """Read-only: figures change on the partnership's page, where services record history."""

    list_display = ["partnership", "definition", "period_start", "period_end", "value", "source"]
    list_filter = ["source", "definition"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
