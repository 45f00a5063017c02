from allauth.account import views as allauth_views
from django.urls import path

from hub.accounts import views

app_name = "accounts"

# Sign-in and password reset are django-allauth's views (hub/accounts/allauth_urls.py); these names
# and paths stay for links, bookmarks and templates that use them.
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("password-reset/", allauth_views.password_reset, name="password_reset"),
    path("password-reset/sent/", allauth_views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.old_password_reset_link, name="password_reset_confirm"),
    path("", views.account, name="account"),
    path("invitations/<str:token>/", views.accept, name="accept"),
    path("invitations/<str:token>/wikimedia/", views.accept_wikimedia, name="accept_wikimedia"),
    path("users/<int:pk>/export.<str:fmt>", views.user_export, name="user_export"),
    path("users/<int:pk>/erase/", views.user_erase, name="user_erase"),
]
