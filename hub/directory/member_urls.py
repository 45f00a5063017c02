"""The members pages' addresses. They kept the paths they had under /account/ (links in sent
mail and bookmarks), so hub/urls.py includes this beside hub.accounts.urls, in its own namespace."""

from django.urls import path

from hub.directory import members

app_name = "members"

urlpatterns = [
    path("organizations/<int:pk>/members/", members.members, name="list"),
    path("memberships/<int:pk>/role/", members.membership_role, name="role"),
    path("memberships/<int:pk>/remove/", members.membership_remove, name="remove"),
]
