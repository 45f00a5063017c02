"""The in-kind contributions kind of import: the first kind the engine serves (hub/imports/kinds.py).

Its column spec is hub/imports/columns.py, its row reader hub/imports/rows.py and reading.py, its
pass over a file hub/imports/engine.py (staging and publishing through stage.py and
hub.funding's `contribution_create_many`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hub.directory.models import Organization
from hub.imports import columns, engine
from hub.imports.kinds import CONTRIBUTIONS, ImportKind


def _organizations(user):
    """Contributions are imported for the movement organizations the person edits for."""
    return Organization.objects.editable_by(user).movement()


KIND = ImportKind(
    name=CONTRIBUTIONS,
    records_label=_("in-kind contributions"),
    targets=columns.TARGETS,
    header_words=columns.header_words,
    proposed_mapping=columns.proposed_mapping,
    remember_mapping=columns.remember_mapping,
    run=engine.run_import,
    organizations=_organizations,
    heading=_("Import contributions from a spreadsheet"),
    needed=_(
        "Needed: a date, a category, a donor, and a value (or a quantity and unit to value "
        "from your rates)."
    ),
    list_url="funding:list",
    see_records=_("See the contributions"),
    done_message=lambda n: (
        ngettext("%(n)s contribution was imported.", "%(n)s contributions were imported.", n)
        % {"n": n}
    ),
)
