from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hub.accounts.models import Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at"]
    exclude = ["token"]
