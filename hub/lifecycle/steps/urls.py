"""The steps pages' URLs; hub/lifecycle/urls.py gathers them under the `lifecycle` namespace."""

from django.urls import URLPattern, path

from hub.lifecycle.steps import views

urlpatterns: list[URLPattern] = [
    path("partnerships/steps/export/", views.steps_export, name="steps_export"),
    path("partnerships/<int:pk>/steps/", views.progress_page, name="progress"),
    path("partnerships/<int:pk>/steps/start/", views.progress_start, name="progress_start"),
    path("partnerships/<int:pk>/steps/move/", views.progress_move, name="progress_move"),
    path("partnerships/<int:pk>/steps/next-action/", views.next_action, name="next_action"),
    path("partnerships/<int:pk>/steps/moving-on/", views.moving_on, name="moving_on"),
    path("organizations/<int:pk>/lifecycle/", views.organization_lifecycles, name="organization"),
    path("organizations/<int:pk>/lifecycle/adopt/", views.lifecycle_adopt, name="adopt"),
    path("lifecycle/<int:pk>/default/", views.lifecycle_default, name="lifecycle_default"),
    path("lifecycle/<int:pk>/steps/new/", views.step_create, name="step_create"),
    path("lifecycle/steps/<int:pk>/edit/", views.step_edit, name="step_edit"),
    path("lifecycle/steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("lifecycle/steps/<int:pk>/retire/", views.step_retire, name="step_retire"),
    path("lifecycle/steps/<int:pk>/restore/", views.step_restore, name="step_restore"),
    path("lifecycle/steps/<int:pk>/links/", views.link_add, name="link_add"),
    path("lifecycle/links/<int:pk>/remove/", views.link_remove, name="link_remove"),
]
