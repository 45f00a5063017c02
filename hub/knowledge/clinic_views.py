"""Pages of the partnership clinic: questions by topic, a question with its answers and the
people who could help, asking, answering, marking the answer that helped, and turning a solved
question into a draft lesson."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hub.core.forms import apply_service_errors, call_service
from hub.knowledge import services
from hub.knowledge.access import get_question_for
from hub.knowledge.filters import QuestionFilter
from hub.knowledge.forms import AnswerForm, QuestionForm, SolvedForm
from hub.knowledge.models import Question, writes_for
from hub.knowledge.suggestions import suggested_helpers
from hub.partnerships.models import Partnership


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    """Unsolved questions first (the default filter), by topic."""
    filters = QuestionFilter(request.GET)
    qs = (
        filters.apply(Question.objects.visible_to(request.user))
        .select_related("organization")
        .prefetch_related("tags")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/question_list.html",
        {
            "filters": filters,
            "page": page,
            "can_ask": writes_for(request.user).exists(),
            "query": request.GET.urlencode(),
        },
    )


def _detail(request: HttpRequest, question: Question, answer_form=None, status=200):
    user = request.user
    shown_partnership = (
        Partnership.objects.visible_to(user).filter(pk=question.partnership_id).first()
        if question.partnership_id
        else None
    )
    can_mark = Question.objects.editable_by(user).filter(pk=question.pk).exists()
    return render(
        request,
        "knowledge/question_detail.html",
        {
            "question": question,
            "tags": question.tags.all(),
            "answers": question.answers.select_related("author"),
            "partnership": shown_partnership,
            "answer_form": answer_form or (AnswerForm() if user.is_authenticated else None),
            "can_mark": can_mark,
            "helpers": suggested_helpers(question, user) if user.is_authenticated else [],
        },
        status=status,
    )


@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_question_for(request.user, pk))


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    if not writes_for(request.user).exists():
        raise PermissionDenied(_("Members of a movement organization ask the clinic."))
    mine = writes_for(request.user)
    initial = {"organization": mine.first()} if mine.count() == 1 else {}
    form = QuestionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.question_create(actor=request.user, **form.service_arguments()),
            stale="",
            permission_field="organization",
        )
        if saved is not None:
            messages.success(request, _("Your question is in the clinic."))
            return redirect(saved)
    return render(request, "knowledge/question_form.html", {"form": form})


@login_required
@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_create(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect(question)
    return _detail(request, question, answer_form=form, status=400)


@login_required
@require_POST
def question_solve(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for(request.user, pk, edit=True)
    form = SolvedForm(request.POST)
    answer = (
        question.answers.filter(pk=form.cleaned_data["answer"]).first() if form.is_valid() else None
    )
    if answer is None:
        raise Http404
    services.question_mark_solved(actor=request.user, question=question, answer=answer)
    messages.success(request, _("Marked as solved by this answer."))
    return redirect(question)


@login_required
@require_POST
def question_to_lesson(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for(request.user, pk, edit=True)
    try:
        lesson = services.question_to_lesson(actor=request.user, question=question)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect(question)
    messages.success(
        request, _("A draft lesson was made from the question. Edit it and publish it.")
    )
    return redirect(lesson)
