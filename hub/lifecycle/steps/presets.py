"""The lifecycles the hub ships: each organization starts from one and may adapt its own copy.

A preset lives in code, not in the database, so its names and texts are translated like every other
string; an organization's copy (`Lifecycle`, `Step`) keeps the preset's keys and stores only what the
organization changed (a blank name means "the preset's name, in the reader's language").

Sources (../shared/reference/domain.md §1, partnering.md §1):
- `eight_steps`: the "8 Steps to a Partnership" table (Wikimédia France, Meta). Step 1's wording is
  confirmed; the names of steps 2-8 are the hub's proposal of their likely shape, not WMFR's wording.
- `wmde_data`: the six phases of Wikimedia Deutschland's data partnerships (2021).
- `partnering_cycle`: the four phases of the TPI partnering cycle (Tennyson, Partnering Toolbook).

Actions, obstacles and tools are filled only where the sources give them: step 1 of the eight steps
(its reasons to partner and its first action) and the partnering cycle's steps of each phase. Every
other step's are left empty for the organization to write, rather than invented here.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AGREEMENT = "agreement"  # a partnership past this step should have a signed agreement
ENDING = "ending"  # the "moving on" step: a real ending (what goes public, celebrate, hand over)


@dataclass(frozen=True)
class PresetLink:
    label: Promise | str
    url: str


@dataclass(frozen=True)
class PresetStep:
    key: str
    name: Promise | str
    milestone: str = ""
    actions: Promise | str = ""
    obstacles: Promise | str = ""
    tools: tuple[PresetLink, ...] = ()


@dataclass(frozen=True)
class Preset:
    key: str
    name: Promise | str
    description: Promise | str
    source: str  # where the preset comes from: an address, or the publication when none is known
    steps: tuple[PresetStep, ...] = field(default_factory=tuple)

    def step(self, key: str) -> PresetStep | None:
        return next((s for s in self.steps if s.key == key), None)


EIGHT_STEPS_PAGE = "https://meta.wikimedia.org/wiki/Partnerships_%26_Resource_Development/Eight_Steps_to_a_Partnership"
CYCLE_PAGE = "http://zbidf.org/about-us/products-and-services/the-partner-building-framework/"
CYCLE_LINK = PresetLink(_("The partnering cycle (The Partnering Initiative)"), CYCLE_PAGE)
# "Use it to draft or to review": for reaching agreement, and for reviewing it.
SCORECARD_LINK = PresetLink(
    _("Partnering Agreement Scorecard (Pfisterer et al. 2014)"), "https://repub.eur.nl/pub/77616"
)
TOOLBOOK_LINK = PresetLink(
    _(
        "Partnering Toolbook tools (partner assessment, stakeholder mapping, sample agreement, "
        "review and case study templates)"
    ),
    "https://www.nccmt.ca/knowledge-repositories/search/134",
)

EIGHT_STEPS = Preset(
    key="eight_steps",
    name=_("Eight steps to a partnership"),
    description=_(
        "The eight steps of the Wikimedia partnerships workshop (Wikimédia France, 2015). The names "
        "of steps 2 to 8 are the hub's summary of their likely shape, not the workshop's wording."
    ),
    source=EIGHT_STEPS_PAGE,
    steps=(
        PresetStep(
            "preliminary_work",
            _("Preliminary work"),
            actions=_(
                "Identify why you need to partner: for example raising money to fund your action "
                "plan, easier access to content to enrich Wikimedia projects, jointly answering a "
                "call for projects, or acquiring skills your organization lacks. This also covers "
                "an opportunity that arises when you are not looking for a partner.\n"
                "Start with your own annual plan."
            ),
            tools=(PresetLink(_("Eight steps to a partnership (Meta-Wiki)"), EIGHT_STEPS_PAGE),),
        ),
        PresetStep("identifying_partners", _("Identifying partners")),
        PresetStep("first_contact", _("First contact")),
        PresetStep("co_design", _("Co-design")),
        PresetStep("formal_agreement", _("Formal agreement"), milestone=AGREEMENT),
        PresetStep("implementation", _("Implementation")),
        PresetStep("evaluation", _("Evaluation")),
        PresetStep("follow_up_or_exit", _("Follow-up or exit"), milestone=ENDING),
    ),
)

WMDE_DATA = Preset(
    key="wmde_data",
    name=_("Data partnership phases (Wikimedia Deutschland)"),
    description=_(
        "The six phases Wikimedia Deutschland uses for data partnerships (2021). Which phase needs "
        "a signed agreement is the hub's choice (assessment), not Wikimedia Deutschland's."
    ),
    source="tech-news.wikimedia.de, 1 March 2021: Data Partnerships at Wikimedia Deutschland",
    steps=(
        PresetStep("initial_contact", _("Initial contact")),
        PresetStep("feasibility_profiling", _("Feasibility and profiling")),
        PresetStep("assessment", _("Assessment"), milestone=AGREEMENT),
        PresetStep("implementation", _("Implementation")),
        PresetStep("conclusion_debrief", _("Conclusion and debrief")),
        PresetStep("post_project", _("Post-project monitoring and support"), milestone=ENDING),
    ),
)

PARTNERING_CYCLE = Preset(
    key="partnering_cycle",
    name=_("Partnering cycle (four phases)"),
    description=_(
        "The four phases of the partnering cycle of The Partnering Initiative's Partnering Toolbook."
    ),
    source=CYCLE_PAGE,
    steps=(
        PresetStep(
            "scoping_building",
            _("Scoping and building"),
            milestone=AGREEMENT,
            actions=_(
                "Initiate.\nMake the case.\nScope.\nEnergise.\nBuild early relationships.\n"
                "Manage expectations.\nOutline a plan.\nHelp the partners reach agreement."
            ),
            tools=(CYCLE_LINK, TOOLBOOK_LINK, SCORECARD_LINK),
        ),
        PresetStep(
            "managing_maintaining",
            _("Managing and maintaining"),
            actions=_(
                "Secure resource commitments.\nBuild governance.\n"
                "Deepen organisational engagement.\nPlan communications.\n"
                "Build partnering capacity.\nSolve problems.\nAgree benchmarks."
            ),
            tools=(CYCLE_LINK,),
        ),
        PresetStep(
            "reviewing_revising",
            _("Reviewing and revising"),
            actions=_(
                "Agree the evaluation.\nAssess the impact.\nApply the lessons.\n"
                "Review the efficiency and the added value to each partner.\nNew ideas.\n"
                "Change the arrangements."
            ),
            tools=(CYCLE_LINK, SCORECARD_LINK),
        ),
        PresetStep(
            "sustaining_outcomes",
            _("Sustaining outcomes"),
            milestone=ENDING,
            actions=_(
                "Consider the moving-on options.\nCelebrate.\nAgree what goes public.\n"
                "Find new champions.\nMake the outcomes last.\nManage the closure."
            ),
            tools=(CYCLE_LINK,),
        ),
    ),
)

PRESETS: dict[str, Preset] = {p.key: p for p in (EIGHT_STEPS, WMDE_DATA, PARTNERING_CYCLE)}
DEFAULT_PRESET = EIGHT_STEPS.key
PRESET_CHOICES = [(p.key, p.name) for p in PRESETS.values()]
