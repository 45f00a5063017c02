"""What the history of an agreement shows to whom (registered in LifecycleConfig.ready).

Its details (parties with signatories and addresses, the checklist and notes, the files, the VRT
ticket, the grant it governs) are withheld from those who may not see them; the grant's title is
shown only to those who see that grant."""

from hub.core import history
from hub.funding.grants.models import Grant
from hub.lifecycle.agreements.models import Agreement
from hub.lifecycle.agreements.services import DETAIL_FIELDS


@history.reader_rule
def agreement_details(user, obj, entries) -> None:
    if user.is_authenticated and user.is_staff:
        return
    mine = [e for e in entries if e.content_type.model == "agreement"]
    if not mine:
        return
    seen = set(
        Agreement.objects.details_visible_to(user)
        .filter(pk__in={e.object_id for e in mine})
        .values_list("pk", flat=True)
    )
    titles = {t for e in mine if "grant" in e.changes for t in e.changes["grant"] if t}
    grants = set(
        Grant.objects.visible_to(user).filter(title__in=titles).values_list("title", flat=True)
    )
    for entry in mine:
        if int(entry.object_id) not in seen:
            entry.withhold(*DETAIL_FIELDS)
        elif "grant" in entry.changes:
            before, after = entry.changes["grant"]
            entry.show(
                "grant", before if before in grants else None, after if after in grants else None
            )
