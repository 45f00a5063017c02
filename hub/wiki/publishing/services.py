"""Every write of wiki publishing: connections (added and removed by an organization's managers),
publications (an edit on a wiki and its record) and taking changed fields back into a record.

Keyword-only, checks permission, records history (a connection's history never holds its secret).
What is read from wikis goes through hub.wiki.client, whose errors (WikiError) say what went wrong
in the person's language; a page that changed after the person saw it is a WikiEditConflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.core import history
from hub.core.models import HistoryEntry, Visibility
from hub.directory.models import Organization
from hub.knowledge.models import Lesson
from hub.partnerships import services as partnership_services
from hub.partnerships.models import Partnership
from hub.wiki.client import (
    Credentials,
    PageState,
    WikiEditConflict,
    WikiError,
    WikiLoginError,
    WikiSession,
    api_url_for,
)
from hub.wiki.publishing import readback, secrets, wikitext
from hub.wiki.publishing.models import Publication, WikiConnection

CONNECTION_FIELDS = ["label", "api_url", "kind", "username", "organization"]
PUBLICATION_FIELDS = ["kind", "api_url", "title", "revision", "overwrote"]
# Tests give a transport (a local fake wiki); pages leave it None.
TRANSPORT = None


class WikiChangedSincePublish(WikiEditConflict):
    """The page was changed on the wiki after the hub's last publish of this record there."""


def _check_manages(actor, organization: Organization) -> None:
    if not Organization.objects.managed_by(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("Only the managers of an organization manage its wiki accounts."))


@transaction.atomic
def connection_create(
    *,
    actor,
    organization: Organization,
    label: str,
    api_url: str,
    kind: str,
    username: str = "",
    secret: str,
) -> WikiConnection:
    """Add a wiki account an organization publishes with. `secret` (a bot password or an OAuth 2
    access token) is stored encrypted and is never shown or recorded anywhere."""
    _check_manages(actor, organization)
    try:
        address = api_url_for(api_url)
    except WikiError as exc:
        raise ValidationError({"api_url": str(exc)}) from exc
    if kind == WikiConnection.Kind.BOT_PASSWORD and "@" not in username:
        raise ValidationError(
            {"username": _("A bot password signs in as 'Account@BotName' (Special:BotPasswords).")}
        )
    if not secret.strip():
        raise ValidationError({"secret": _("Enter the bot password or the access token.")})
    connection = WikiConnection(
        organization=organization,
        label=label.strip(),
        api_url=address,
        kind=kind,
        username=username.strip(),
        secret_encrypted=secrets.encrypt(secret.strip()),
        created_by=actor,
    )
    connection.full_clean(exclude=["secret_encrypted", "created_by"])
    connection.save()
    history.record(
        actor=actor,
        instance=connection,
        action=HistoryEntry.Action.CREATE,
        after=history.snapshot(connection, CONNECTION_FIELDS),
    )
    return connection


@transaction.atomic
def connection_delete(*, actor, connection: WikiConnection) -> None:
    """Remove a wiki account (its publications stay, without their connection)."""
    _check_manages(actor, connection.organization)
    before = history.snapshot(connection, CONNECTION_FIELDS)
    history.record(
        actor=actor, instance=connection, action=HistoryEntry.Action.DELETE, before=before
    )
    connection.delete()


def session_for(connection: WikiConnection) -> WikiSession:
    """A signed-in session with the connection's wiki. Raises WikiLoginError when the secret
    cannot be read (the key changed)."""
    try:
        secret = connection.secret()
    except secrets.SecretUnreadable as exc:
        raise WikiLoginError(
            _(
                "The hub can no longer read this connection's secret (its key changed). A "
                "manager of %(organization)s enters it again."
            )
            % {"organization": connection.organization.name}
        ) from exc
    credentials = Credentials(connection.kind, connection.username, secret)
    return WikiSession(connection.api_url, credentials, transport=TRANSPORT)


def may_publish(actor, record) -> bool:
    """Whether `actor` edits the record (lessons: their author and organization's editors)."""
    if isinstance(record, Partnership):
        return Partnership.objects.editable_by(actor).filter(pk=record.pk).exists()
    if isinstance(record, Lesson):
        return Lesson.objects.editable_by(actor).filter(pk=record.pk).exists()
    return Organization.objects.editable_by(actor).filter(pk=record.pk).exists()


def publish_refusal(record) -> str:
    """Why a record cannot go to a wiki ("" when it can): only public records are published."""
    if isinstance(record, Partnership | Lesson) and record.visibility != Visibility.PUBLIC:
        return _(
            "Only public records are published to a wiki: this one is not public. Change its "
            "visibility first if it may be public."
        )
    return ""


def _check(actor, record, connection: WikiConnection) -> None:
    if not may_publish(actor, record):
        raise PermissionDenied(_("You cannot publish this record."))
    if not WikiConnection.objects.usable_by(actor).filter(pk=connection.pk).exists():
        raise PermissionDenied(_("You cannot publish with this wiki account."))
    refusal = publish_refusal(record)
    if refusal:
        raise ValidationError(refusal)


@dataclass
class Preview:
    """What publishing would do: the wikitext, the summary, the page as it is now, the diff
    between them, and the hub's last publication of the record on that page."""

    wikitext: str
    summary: str
    page: PageState
    diff: list[readback.DiffLine]
    last: Publication | None

    @property
    def changed_on_wiki(self) -> bool:
        """The page moved on since the hub's last publish there (someone edited it)."""
        return bool(self.last and self.page.exists and self.page.revision != self.last.revision)


def last_publication(record, api_url: str, title: str) -> Publication | None:
    return (
        Publication.objects.of(record)
        .filter(api_url=api_url, title=title)
        .order_by("-published_at", "-pk")
        .first()
    )


def publication_preview(*, actor, record, connection: WikiConnection, title: str) -> Preview:
    """The preview of a publish (reads the wiki; writes nothing)."""
    _check(actor, record, connection)
    text = wikitext.wikitext_of(record)
    with session_for(connection) as wiki:
        page = wiki.current(title)
    return Preview(
        wikitext=text,
        summary=wikitext.summary(record),
        page=page,
        diff=readback.line_diff(page.wikitext, text),
        last=last_publication(record, connection.api_url, page.title),
    )


def publication_publish(
    *,
    actor,
    record,
    connection: WikiConnection,
    title: str,
    seen_revision: int,
    overwrite: bool = False,
) -> Publication:
    """Publish the record's wikitext as `title`, over the revision the person saw
    (`seen_revision`, 0 for a page that did not exist). Raises WikiEditConflict when the page
    changed since, and WikiChangedSincePublish when it changed on the wiki after the hub's last
    publish there, unless the person chose to `overwrite` it knowingly."""
    _check(actor, record, connection)
    text = wikitext.wikitext_of(record)
    summary = wikitext.summary(record)
    with session_for(connection) as wiki:
        wiki.login()
        page = wiki.current(title)
        if page.revision != seen_revision:
            raise WikiEditConflict(
                _("'%(title)s' changed on %(wiki)s after you looked at it.")
                % {"title": page.title[:200], "wiki": wiki.wiki}
            )
        last = last_publication(record, connection.api_url, page.title)
        changed = bool(last and page.exists and page.revision != last.revision)
        if changed and not overwrite:
            raise WikiChangedSincePublish(
                _(
                    "'%(title)s' was changed on %(wiki)s since the hub last published it. "
                    "Look at the changes, then choose."
                )
                % {"title": page.title[:200], "wiki": wiki.wiki}
            )
        revision = wiki.edit(title=page.title, text=text, summary=summary, base=page)
    with transaction.atomic():
        kind = Publication.kind_of(record)
        publication = Publication.objects.create(
            kind=kind,
            **{kind: record},
            connection=connection,
            api_url=connection.api_url,
            title=page.title,
            revision=revision,
            wikitext=text,
            summary=summary[:500],
            overwrote=changed,
            published_by=actor,
        )
        history.record(
            actor=actor,
            instance=publication,
            action=HistoryEntry.Action.CREATE,
            after=history.snapshot(publication, PUBLICATION_FIELDS),
        )
    return publication


@transaction.atomic
def publication_take_back(
    *, actor, publication: Publication, fields: list[str], current: str
) -> Partnership:
    """Take the chosen fields changed on the wiki (in the page's `current` wikitext) back into
    the partnership, through partnership_update (its permission check and history)."""
    partnership = publication.partnership
    if partnership is None:
        raise ValidationError(_("Only a partnership's page is taken back field by field."))
    changes = readback.partnership_changes(publication.wikitext, current)
    if changes is None:
        raise ValidationError(_("The page on the wiki no longer holds the partnership's table."))
    by_field = {c.field: c for c in changes}
    values: dict = {}
    links = None
    for name in fields:
        change = by_field.get(name)
        if change is None or not change.takeable:
            raise ValidationError(
                {"fields": _("'%(field)s' cannot be taken back.") % {"field": name[:40]}}
            )
        if name == "links":
            links = list(change.value)  # type: ignore[call-overload]
        else:
            values[name] = change.value
    if not fields:
        raise ValidationError({"fields": _("Choose at least one field to take back.")})
    return partnership_services.partnership_update(
        actor=actor, partnership=partnership, links=links, **values
    )
