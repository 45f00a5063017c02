from django.urls import path

from hub.meetings import mine_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/history/", views.meeting_history, name="history"),
    path("<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/remove/", views.decision_remove, name="decision_remove"),
    path("<int:pk>/action-items/add/", views.action_item_add, name="action_item_add"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("next-steps/", mine_views.next_steps, name="next_steps"),
    path("feed/", mine_views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", mine_views.feed, name="feed"),
]
