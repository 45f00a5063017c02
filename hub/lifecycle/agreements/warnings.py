"""What needs attention about a partnership's agreements: computed at query time, here only.

Four warnings (issue 16, item 3):
- `unsigned`: a running partnership past its formal-agreement step without a signed agreement
  (an active partnership whose steps are not followed counts as past it);
- `clauses`: a signed agreement without an exit strategy or an IP clause (the checklist's exit or
  ip_licence item not in place, or unscored);
- `ending`: a signed agreement ending, or due for renewal or notice, within `SOON_DAYS` days;
- `grant`: a restricted grant of the partnership (awarded or reported) that no agreement governs.

Warnings are work prompts, shown only to those who may see the agreements' details (the
participants' members and staff; for an agreement whose details are public, to whoever sees it):
to anyone else they would tell a private agreement's presence or absence. The partnership-wide
ones (`unsigned`, `grant`) go to the participants' members and staff only, and `grant` only about
grants the reader sees.

Each warning is a condition (a Q) on partnerships, so the registry filters and annotates with them
in its one query; `warnings_for` lists one partnership's, with the agreement each is about.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub.funding.grants.models import Grant
from hub.lifecycle.agreements.models import (
    Agreement,
    ChecklistItem,
    participant_member_q,
)
from hub.lifecycle.steps.models import PartnershipProgress, past_agreement_step_q
from hub.partnerships.models import Partnership

SOON_DAYS = 60
KINDS = ("unsigned", "clauses", "ending", "grant")
LABELS = {
    "unsigned": gettext_lazy("No signed agreement"),
    "clauses": gettext_lazy("Signed without an exit strategy or IP clause"),
    "ending": gettext_lazy("Ends or is due for renewal within 60 days"),
    "grant": gettext_lazy("Restricted grant without an agreement"),
}
KEY_CLAUSES = (ChecklistItem.Topic.EXIT, ChecklistItem.Topic.IP_LICENCE)
SETTLED = (ChecklistItem.Score.NOT_RELEVANT, ChecklistItem.Score.PARTLY, ChecklistItem.Score.FULLY)
LIVE_GRANT = (Grant.Status.AWARDED, Grant.Status.REPORTED)


@dataclass(frozen=True)
class Attention:
    kind: str
    text: str
    agreement: Agreement | None = None


def _today() -> datetime.date:
    return timezone.localdate()


def clauses_missing_q() -> Q:
    """On agreements: signed, and the exit or the IP item not settled."""
    settled = {
        topic: Exists(
            ChecklistItem.objects.filter(agreement=OuterRef("pk"), topic=topic, score__in=SETTLED)
        )
        for topic in KEY_CLAUSES
    }
    missing = Q()
    for condition in settled.values():
        missing |= ~Q(condition)
    return Q(status=Agreement.Status.SIGNED) & missing


def ending_soon_q(today: datetime.date | None = None) -> Q:
    """On agreements: signed, and its end or renewal date within the next SOON_DAYS days."""
    today = today or _today()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    return Q(status=Agreement.Status.SIGNED) & (
        Q(end_date__gte=today, end_date__lte=soon)
        | Q(renewal_date__gte=today, renewal_date__lte=soon)
    )


def _agreement_q(user, condition: Q) -> Q:
    """On partnerships: an agreement of it meets `condition` and `user` sees its details."""
    return Q(
        Exists(
            Agreement.objects.filter(partnership=OuterRef("pk"))
            .filter(condition)
            .filter(Q(details_public=True) | participant_member_q(user))
        )
    )


def untracked_active_q() -> Q:
    """On partnerships: active, with no steps followed (an active partnership is at work, past
    any agreement step it would have)."""
    followed = PartnershipProgress.objects.filter(partnership=OuterRef("pk"))
    return Q(status=Partnership.Status.ACTIVE) & ~Q(Exists(followed))


def unsigned_q(user) -> Q:
    signed = Agreement.objects.filter(
        partnership=OuterRef("pk"), status=Agreement.Status.SIGNED
    ).exclude(kind=Agreement.Kind.NONE)
    return (
        Q(status__in=Partnership.RUNNING_STATUSES)
        & (past_agreement_step_q() | untracked_active_q())
        & ~Q(Exists(signed))
        & participant_member_q(user, "")
    )


def grant_q(user) -> Q:
    governed = Agreement.objects.filter(grant=OuterRef("pk"))
    ungoverned = (
        Grant.objects.visible_to(user)
        .filter(partnership=OuterRef("pk"), restricted=True, status__in=LIVE_GRANT)
        .exclude(Exists(governed))
    )
    return Q(Exists(ungoverned)) & participant_member_q(user, "")


def conditions(user, today: datetime.date | None = None) -> dict[str, Q]:
    """{kind: condition on partnerships}, as `user` may be warned."""
    return {
        "unsigned": unsigned_q(user),
        "clauses": _agreement_q(user, clauses_missing_q()),
        "ending": _agreement_q(user, ending_soon_q(today)),
        "grant": grant_q(user),
    }


def needs_attention_q(user, today: datetime.date | None = None) -> Q:
    """On partnerships: at least one warning for `user`."""
    if not user.is_authenticated:
        # Only agreements with public details could warn an anonymous reader: no work prompts.
        return Q(pk__in=[])
    found = Q()
    for condition in conditions(user, today).values():
        found |= condition
    return found


def annotate(qs: QuerySet[Partnership], user) -> QuerySet[Partnership]:
    """`qs` with a boolean `warn_<kind>` per warning (in the same query)."""
    if not user.is_authenticated:
        return qs
    return qs.annotate(
        **{f"warn_{kind}": Q(condition) for kind, condition in conditions(user).items()}
    )


def kinds_of(partnership: Partnership) -> list[str]:
    """The warning labels of a row `annotate` read."""
    return [str(LABELS[k]) for k in KINDS if getattr(partnership, f"warn_{k}", False)]


def warnings_for(user, partnership: Partnership) -> list[Attention]:
    """The warnings of one partnership that `user` may read, each agreement's named."""
    if not user.is_authenticated:
        return []
    today = _today()
    found: list[Attention] = []
    flags: dict[str, Any] = dict(
        Partnership.objects.filter(pk=partnership.pk)
        .annotate(unsigned=unsigned_q(user), grant=grant_q(user), untracked=untracked_active_q())
        .values("unsigned", "grant", "untracked")
        .first()
        or {}
    )
    if flags.get("unsigned"):
        found.append(
            Attention(
                "unsigned",
                _("The partnership is active but has no signed agreement.")
                if flags.get("untracked")
                else _(
                    "The partnership is past its formal-agreement step but has no signed agreement."
                ),
            )
        )
    agreements = (
        Agreement.objects.filter(partnership=partnership)
        .filter(Q(details_public=True) | participant_member_q(user))
        .annotate(clauses=clauses_missing_q(), ending=ending_soon_q(today))
        .filter(Q(clauses=True) | Q(ending=True))
    )
    for agreement in agreements:
        if agreement.clauses:  # type: ignore[attr-defined]
            found.append(
                Attention(
                    "clauses",
                    _("%(agreement)s is signed without an exit strategy or an IP clause.")
                    % {"agreement": agreement},
                    agreement,
                )
            )
        if agreement.ending:  # type: ignore[attr-defined]
            found.append(
                Attention(
                    "ending",
                    _("%(agreement)s ends or is due for renewal within %(days)s days.")
                    % {"agreement": agreement, "days": SOON_DAYS},
                    agreement,
                )
            )
    if flags.get("grant"):
        found.append(
            Attention(
                "grant",
                _("A restricted grant of the partnership has no agreement that governs it."),
            )
        )
    return found
