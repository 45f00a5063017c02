from django.contrib import admin

from hub.knowledge.models import Answer, Endorsement, Lesson, LessonTag, Question, QuestionTag


class LessonTagInline(admin.TabularInline):
    model = LessonTag
    extra = 0


class QuestionTagInline(admin.TabularInline):
    model = QuestionTag
    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-mostly: changes belong in the pages, where services record history."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Lesson)
class LessonAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "kind", "status", "language", "visibility", "is_demo"]
    list_filter = ["status", "kind", "category", "language", "visibility", "is_demo"]
    search_fields = ["title"]
    inlines = [LessonTagInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "status", "language", "visibility"]
    list_filter = ["status", "language", "visibility"]
    search_fields = ["title"]
    inlines = [QuestionTagInline]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ["lesson", "user", "created_at"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["question", "author", "created_at"]
