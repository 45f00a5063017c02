"""Background work of the clinic, run by `manage.py db_worker`: telling the asker and the earlier
answerers of a new answer."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.knowledge.models import Answer, Question


def participants_to_tell(answer: Answer) -> list[User]:
    """The asker and the earlier answerers of `answer`'s question, but its author, with an
    e-mail address, active, and still allowed to see the question: nobody is sent the text of a
    question they may not read."""
    question = answer.question
    earlier = question.answers.exclude(pk=answer.pk).values_list("author_id", flat=True)
    ids = {pk for pk in [question.asker_id, *earlier] if pk is not None}
    ids.discard(answer.author_id or 0)
    people = User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk")
    return [
        person
        for person in people
        if Question.objects.visible_to(person).filter(pk=question.pk).exists()
    ]


@task
def notify_answer(answer_id: int) -> int:
    """E-mail the participants of a question about a new answer; returns how many were told.
    Queued by hub.knowledge.services.answer_create once the answer is saved."""
    answer = Answer.objects.select_related("question", "author").filter(pk=answer_id).first()
    if answer is None:
        return 0
    question = answer.question
    link = settings.SITE_URL.rstrip("/") + reverse("knowledge:question_detail", args=[question.pk])
    who = answer.author.get_full_name() or answer.author.username if answer.author else _("Someone")
    subject = " ".join(
        (_("New answer in the partnership clinic: %(title)s") % {"title": question.title}).split()
    )
    sent = 0
    for person in participants_to_tell(answer):
        send_mail(
            subject=subject,
            message=_("%(who)s answered “%(title)s”:\n\n%(body)s\n\nRead it and reply: %(link)s")
            % {"who": who, "title": question.title, "body": answer.body, "link": link},
            from_email=None,
            recipient_list=[person.email],
        )
        sent += 1
    return sent
