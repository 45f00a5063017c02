"""How the partnership's history names what steps and agreements record on it: keys that are not
fields of the partnership (hub.core.models.HistoryEntry.LABELS, filled at start-up)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    # steps (hub/lifecycle/steps/progress.py, services.py)
    "lifecycle": _("Lifecycle"),
    "lifecycle_steps": _("Steps of the lifecycle"),
    "step": _("Step"),
    "step_entered": _("Step entered on"),
    "next_action": _("Next action"),
    "next_action_owner": _("Owner of the next action"),
    "next_action_due": _("Next action due"),
    "moving_on_what_goes_public": _("What goes public"),
    "moving_on_celebration": _("Celebration"),
    "moving_on_handover": _("Hand-over"),
    "moving_on_lasting_outcomes": _("Making outcomes last"),
    "moving_on_completed_on": _("Moving on completed"),
    # agreements (hub/lifecycle/agreements/services.py)
    "parties": _("Parties"),
    "checklist": _("Checklist"),
    "files": _("Files"),
}
