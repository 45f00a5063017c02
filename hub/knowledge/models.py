"""Learning from each other (C8): lessons in the learning-pattern shape with their endorsements,
and the partnership clinic's questions and answers.

Who sees what: a lesson or a question is public (anyone), movement (signed-in people) or private
(members of the organization it was written for, its author, and staff), as partnerships are. An
endorsement or an answer is seen by whoever sees its lesson or question. A linked partnership is
shown only to those who may see it (`Partnership.objects.visible_to`).

Who changes what: the author, the editors and managers of the lesson's organization, and staff
edit a lesson; the asker, the editors and managers of the question's organization and staff mark
the answer that helped.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from hub.core.models import Visibility
from hub.directory.models import ChoiceLabels, Organization
from hub.knowledge.choices import FACET_CHOICES, Category, Facet, facet_label
from hub.partnerships.models import Partnership


def writes_for(user):
    """The movement organizations `user` may write lessons and questions for: those they are a
    member of, in any role (staff: every one)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.movement()
    return Organization.objects.member_of(user).movement()


def visible_rows(qs, user, author_field: str):
    """The one reading rule of lessons, questions and resources (each QuerySet's `visible_to`):
    public to all, movement to the signed-in, private to its organization's members and author."""
    if not user.is_authenticated:
        return qs.filter(visibility=Visibility.PUBLIC)
    if user.is_staff:
        return qs
    mine = Organization.objects.member_of(user).values("pk")
    return qs.filter(
        Q(visibility__in=[Visibility.PUBLIC, Visibility.MOVEMENT])
        | Q(**{author_field: user})
        | Q(organization_id__in=mine)
    )


def editable_rows(qs, user, author_field: str):
    """The one changing rule of the same: the author, the organization's editors and managers."""
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    edits = Organization.objects.editable_by(user).values("pk")
    return qs.filter(Q(**{author_field: user}) | Q(organization_id__in=edits))


class Tag(models.Model):
    """A topic of a lesson or question: a lifecycle step (by its preset key), a goal or a partner
    type (an organization kind)."""

    facet = models.CharField(_("topic"), max_length=20, choices=Facet.choices)
    value = models.CharField(_("value"), max_length=40)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return facet_label(self.facet, self.value)

    def clean(self) -> None:
        allowed = {key for key, _label in FACET_CHOICES.get(self.facet, [])}
        if self.value not in allowed:
            raise ValidationError({"value": gettext("Choose one of the listed topics.")})


class LessonQuerySet(models.QuerySet["Lesson"]):
    def visible_to(self, user) -> LessonQuerySet:
        """Public to everyone, movement to signed-in people, private to the members of its
        organization and its author; everything to staff."""
        return visible_rows(self, user, "author")

    def editable_by(self, user) -> LessonQuerySet:
        """The author, editors and managers of its organization, staff."""
        return editable_rows(self, user, "author")

    def published(self) -> LessonQuerySet:
        return self.filter(status=Lesson.Status.PUBLISHED)


class Lesson(ChoiceLabels, models.Model):
    """A lesson in the shape of a Meta-Wiki learning pattern."""

    class Kind(models.TextChoices):
        GOOD = "good", _("Good: it worked")
        BAD = "bad", _("Bad: it did not work")
        UGLY = "ugly", _("Ugly: it went badly wrong")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        NEEDS_REVIEW = "needs_review", _("Needs review")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("what problem does this solve?"))
    solution = models.TextField(_("what is the solution?"), blank=True)
    things_to_consider = models.TextField(_("things to consider"), blank=True)
    when_to_use = models.TextField(_("when to use"), blank=True)
    see_also = models.TextField(_("see also"), blank=True)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.PARTNERSHIPS
    )
    kind = models.CharField(
        _("good, bad or ugly"),
        max_length=10,
        choices=Kind.choices,
        blank=True,
        help_text=_("Blank: not said (a story its source does not call good, bad or ugly)."),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_by = models.DateField(
        _("review by"), null=True, blank=True, help_text=_("When someone should check it again.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lessons",
        verbose_name=_("written for"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("author"),
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="lessons", verbose_name=_("partnerships")
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="lessons_about",
        verbose_name=_("organizations"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="needs_review") | Q(review_by__isnull=False),
                name="lesson_review_has_a_date",
                violation_error_message=_("Give the date by which it needs review."),
            ),
        ]
        indexes = [models.Index(fields=["visibility", "status"], name="lesson_vis_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson_detail", args=[self.pk])

    def clean(self) -> None:
        """The single-row rules, each on its field (the constraints guard the review date too)."""
        errors: dict[str, str] = {}
        if self.status == self.Status.NEEDS_REVIEW and self.review_by is None:
            errors["review_by"] = gettext("Give the date by which it needs review.")
        original = self.translation_of
        if original is not None:
            if self.pk and original.pk == self.pk:
                errors["translation_of"] = gettext("A lesson cannot be its own translation.")
            elif original.translation_of_id is not None:
                errors["translation_of"] = gettext(
                    "Choose the original lesson, not another translation."
                )
            elif original.language == self.language:
                errors["language"] = gettext("A translation is in another language.")
        if errors:
            raise ValidationError(errors)

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    @property
    def is_translation(self) -> bool:
        return self.translation_of_id is not None

    def search_document(self) -> dict:
        """What the search indexes of a lesson (its readers are those of `visible_to`)."""
        body = [self.problem, self.solution, self.things_to_consider, self.when_to_use]
        return {
            "title": self.title,
            "body": "\n\n".join(part for part in body if part),
            "language": self.language,
        }


class LessonTag(Tag):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="tags")

    class Meta:
        ordering = ["facet", "value"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "facet", "value"], name="lesson_tag_once")
        ]
        indexes = [models.Index(fields=["facet", "value"], name="lesson_tag_topic")]


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def visible_to(self, user) -> EndorsementQuerySet:
        return self.filter(lesson__in=Lesson.objects.visible_to(user).values("pk"))


class Endorsement(models.Model):
    """A signed-in person's endorsement of a lesson, optionally with evidence: a partnership it
    was used in (shown only to those who may see that partnership)."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements"
    )
    comment = models.TextField(_("comment"), blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements",
        verbose_name=_("used in partnership"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "user"], name="endorsement_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.lesson}"

    def search_document(self) -> dict:
        return {"title": self.lesson.title, "body": self.comment, "language": self.lesson.language}


class QuestionQuerySet(models.QuerySet["Question"]):
    def visible_to(self, user) -> QuestionQuerySet:
        """As lessons: public, movement, or private to the asking organization's members."""
        return visible_rows(self, user, "asker")

    def editable_by(self, user) -> QuestionQuerySet:
        """Who marks the answer that helped: the asker, editors and managers of the asking
        organization, staff."""
        return editable_rows(self, user, "asker")

    def unsolved(self) -> QuestionQuerySet:
        return self.filter(status=Question.Status.OPEN)


class Question(ChoiceLabels, models.Model):
    """A clinic question: a team asks peers for help on a partnership problem."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SOLVED = "solved", _("Solved")

    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="clinic_questions",
        verbose_name=_("asked for"),
        limit_choices_to={"kind__in": Organization.MOVEMENT_KINDS},
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinic_questions",
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinic_questions",
        verbose_name=_("partnership"),
    )
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MOVEMENT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    solution = models.ForeignKey(
        "Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the answer that helped"),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_questions",
        verbose_name=_("lesson made from it"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(solution__isnull=False),
                name="question_solved_by_an_answer",
            )
        ]
        indexes = [models.Index(fields=["visibility", "status"], name="question_vis_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:question_detail", args=[self.pk])

    def search_document(self) -> dict:
        return {"title": self.title, "body": self.body, "language": self.language}


class QuestionTag(Tag):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tags")

    class Meta:
        ordering = ["facet", "value"]
        constraints = [
            models.UniqueConstraint(fields=["question", "facet", "value"], name="question_tag_once")
        ]
        indexes = [models.Index(fields=["facet", "value"], name="question_tag_topic")]


class AnswerQuerySet(models.QuerySet["Answer"]):
    def visible_to(self, user) -> AnswerQuerySet:
        return self.filter(question__in=Question.objects.visible_to(user).values("pk"))


class Answer(models.Model):
    """A peer's answer to a clinic question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinic_answers",
    )
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return gettext("Answer to %(q)s") % {"q": self.question}

    def search_document(self) -> dict:
        return {
            "title": self.question.title,
            "body": self.body,
            "language": self.question.language,
        }


# The resource library's models live in their sub-package; imported here so Django finds them.
from hub.knowledge.resources.models import Resource, ResourceTag  # noqa: E402, F401
