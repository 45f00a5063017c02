from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import Invitation, Membership, User
from hub.accounts.privacy import is_erased, user_erase


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class HubUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    actions = ["erase_personal_data"]

    @admin.action(description=_("Erase the personal data of the selected users"))
    def erase_personal_data(self, request, queryset) -> None:
        for user in queryset:
            if not is_erased(user):
                try:
                    user_erase(actor=request.user, user=user)
                except (PermissionDenied, ValidationError) as exc:
                    text = " ".join(getattr(exc, "messages", [str(exc)]))
                    self.message_user(request, f"{user}: {text}", "error")
                    return
        self.message_user(request, _("Their personal data were erased."))

    # Deleting an account here erases its data first: otherwise its user name, name and e-mail
    # would stay in the history and the other records that name it.
    def delete_model(self, request, obj) -> None:
        self._erase(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            self._erase(request, user)
        super().delete_queryset(request, queryset)

    def _erase(self, request, user) -> None:
        if is_erased(user):
            return
        try:
            user_erase(actor=request.user, user=user)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at"]
    exclude = ["token"]
