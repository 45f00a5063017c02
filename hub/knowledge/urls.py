from django.urls import path

from hub.knowledge import clinic_views, views
from hub.knowledge.resources import urls as resources

app_name = "knowledge"

urlpatterns = [
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/new/", views.lesson_create, name="lesson_create"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:pk>/history/", views.lesson_history, name="lesson_history"),
    path("lessons/<int:pk>/endorse/", views.lesson_endorse, name="lesson_endorse"),
    path("endorsements/<int:pk>/withdraw/", views.endorsement_delete, name="endorsement_delete"),
    path("clinic/", clinic_views.question_list, name="question_list"),
    path("clinic/ask/", clinic_views.question_create, name="question_create"),
    path("clinic/<int:pk>/", clinic_views.question_detail, name="question_detail"),
    path("clinic/<int:pk>/answer/", clinic_views.answer_create, name="answer_create"),
    path("clinic/<int:pk>/solved/", clinic_views.question_solve, name="question_solve"),
    path("clinic/<int:pk>/to-lesson/", clinic_views.question_to_lesson, name="question_to_lesson"),
    *resources.urlpatterns,
]
