from django.contrib import admin

from hub.funding.models import ExchangeRate, Grant, InKindContribution, ValuationRate


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: changes belong in the pages, where services check permission and record history."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InKindContribution)
class InKindContributionAdmin(ReadOnlyAdmin):
    list_display = [
        "date",
        "receiving_organization",
        "donor_organization",
        "donor_name",
        "category",
        "value",
        "currency",
        "confidential",
        "archived",
    ]
    list_filter = ["category", "confidential", "archived", "currency"]
    search_fields = ["description", "donor_name"]
    list_select_related = ["receiving_organization", "donor_organization"]
    date_hierarchy = "date"


@admin.register(ValuationRate)
class ValuationRateAdmin(ReadOnlyAdmin):
    list_display = [
        "organization",
        "category",
        "unit",
        "amount",
        "currency",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["category", "unit"]


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ["title", "funder", "recipient", "amount", "currency", "status"]
    list_filter = ["status", "restricted", "confidential"]
    search_fields = ["title"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReadOnlyAdmin):
    list_display = ["date", "currency", "rate"]
    list_filter = ["currency"]
    date_hierarchy = "date"
