"""The steps export (CSV, XLSX, ODS): one row per step a partnership entered, with when it left,
and the partnership's next action on each of its rows; the writers are hub/core/exporting.py.

Headers are field names, as in the registry's export; a step's name is the organization's own or
the preset's in the reader's language, its milestone the stored code.
"""

from hub.core.exporting import Column
from hub.lifecycle.steps.presets import PRESETS


def _step_name(name: str, key: str, preset: str) -> str:
    if name:
        return name
    shipped = PRESETS[preset].step(key) if preset in PRESETS else None
    return str(shipped.name) if shipped else key


def _lifecycle_name(name: str, preset: str) -> str:
    return name or (str(PRESETS[preset].name) if preset in PRESETS else preset)


STEP_COLUMNS = [
    Column("partnership_id", ("progress__partnership_id",)),
    Column("partnership", ("progress__partnership__title",)),
    Column("lead", ("progress__partnership__lead__name",)),
    Column(
        "lifecycle",
        ("step__lifecycle__name", "step__lifecycle__preset"),
        _lifecycle_name,
    ),
    Column("position", ("step__position",)),
    Column("step", ("step__name", "step__key", "step__lifecycle__preset"), _step_name),
    Column("milestone", ("step__milestone",)),
    Column("entered_on", ("entered_on",)),
    Column("left_on", ("left_on",)),
    Column("note", ("note",)),
    Column("next_action", ("progress__next_action",)),
    Column("next_action_due", ("progress__next_action_due",)),
]
