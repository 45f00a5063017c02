"""The two exercises of the 2016 partnerships workshop, for the mapping page: the goal diagram, the
structure map and the sentences that sum them up."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hub.mapping.figures.base import Figure, FilterSet, Mark, Row, share, share_text
from hub.mapping.figures.base import link as _link
from hub.partnerships.models import GOAL_FIELDS, Goal, Partnership

# Partnerships are drawn as single labelled marks on the structure map up to this many.
MAX_MARKS = 40

# The seven regions of the goal diagram and the empty one, as the set of goals in each.
GOAL_REGIONS: list[tuple[str, frozenset[str]]] = [
    ("funding", frozenset({Goal.FUNDING})),
    ("content", frozenset({Goal.CONTENT})),
    ("advocacy", frozenset({Goal.ADVOCACY})),
    ("funding+content", frozenset({Goal.FUNDING, Goal.CONTENT})),
    ("funding+advocacy", frozenset({Goal.FUNDING, Goal.ADVOCACY})),
    ("content+advocacy", frozenset({Goal.CONTENT, Goal.ADVOCACY})),
    ("funding+content+advocacy", frozenset({Goal.FUNDING, Goal.CONTENT, Goal.ADVOCACY})),
    ("none", frozenset()),
]
QUADRANTS = [
    (Partnership.Structure.SIMPLE, Partnership.Direction.INTERNAL),
    (Partnership.Structure.COMPLEX, Partnership.Direction.INTERNAL),
    (Partnership.Structure.SIMPLE, Partnership.Direction.EXTERNAL),
    (Partnership.Structure.COMPLEX, Partnership.Direction.EXTERNAL),
]


# How the summary names each goal inside a sentence ("61% serve content for Wikimedia projects").
GOAL_PHRASES = {
    Goal.FUNDING: gettext_lazy("funding or resources"),
    Goal.CONTENT: gettext_lazy("content for Wikimedia projects"),
    Goal.ADVOCACY: gettext_lazy("advocacy or outreach"),
}


def goal_region_label(goals: frozenset[str]) -> str:
    if not goals:
        return _("No goal recorded")
    names = [str(Goal(g).label) for g in Goal if g in goals]
    if len(names) == 1:
        return _("%(goal)s only") % {"goal": names[0]}
    return " + ".join(names)


def goal_figure(user, fs: FilterSet) -> Figure:
    """The goal diagram: partnerships in each of the seven regions of three goals, and with none."""
    drop = ("goal", "goal_match")
    qs = fs.queryset(user, drop)

    def exactly(goals: frozenset[str]) -> Q:
        return Q(**{f: (g in goals) for g, f in GOAL_FIELDS.items()})

    counts = qs.aggregate(
        total=Count("pk"),
        **{key: Count("pk", filter=exactly(goals)) for key, goals in GOAL_REGIONS},
    )
    total = counts["total"]
    rows = []
    for key, goals in GOAL_REGIONS:
        n = counts[key]
        url = (
            fs.list_url(drop, goal=sorted(goals), goal_match="exact") if goals else None
        )  # the list cannot select "no goal"
        rows.append(
            Row(
                key,
                goal_region_label(goals),
                [n],
                [_link(n, url) if url else None],
                share(n, total),
            )
        )
    return Figure(
        name="goals",
        title=_("Goals of partnerships"),
        caption=_(
            "Each partnership counted once, in the region of exactly the goals it serves: funding "
            "or resources, content for Wikimedia projects, advocacy or outreach."
        ),
        label_header=_("Goals"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
        shares=True,
    )


def structure_figure(user, fs: FilterSet) -> Figure:
    """The structure map: simple/complex by internal/external, with each partnership when few."""
    drop = ("structure", "direction")
    qs = fs.queryset(user, drop)
    counts = {
        (r["structure"], r["direction"]): r["n"]
        for r in qs.values("structure", "direction").annotate(n=Count("pk"))
    }
    total = sum(counts.values())
    rows = []
    for structure, direction in QUADRANTS:
        n = counts.get((structure, direction), 0)
        rows.append(
            Row(
                f"{structure}+{direction}",
                _("%(structure)s, %(direction)s")
                % {
                    "structure": Partnership.Structure(structure).label,
                    "direction": str(Partnership.Direction(direction).label).lower(),
                },
                [n],
                [_link(n, fs.list_url(drop, structure=structure, direction=direction))],
                share(n, total),
            )
        )
    marks = None
    if total <= MAX_MARKS:
        marks = [
            Mark(
                p["title"],
                reverse("partnerships:detail", args=[p["pk"]]),
                p["structure"],
                p["direction"],
            )
            for p in qs.order_by("title", "pk").values("pk", "title", "structure", "direction")[
                :MAX_MARKS
            ]
        ]
    return Figure(
        name="structure",
        title=_("Structure of partnerships"),
        caption=_(
            "Simple (two organizations, one activity) or complex, and internal to the movement or "
            "with external organizations."
        ),
        label_header=_("Structure and direction"),
        columns=[_("Partnerships")],
        rows=rows,
        total=total,
        total_link=_link(total, fs.list_url(drop)),
        shares=True,
        marks=marks,
        note=""
        if marks is not None
        else _("More than %(n)d partnerships: drawn as counts only.") % {"n": MAX_MARKS},
    )


def summary(goals: Figure, structure: Figure) -> list[str]:
    """Plain-language sentences computed from the two mapping figures."""
    if not goals.total:
        return [_("No partnership matches these filters.")]
    by_key = {row.key: row.values[0] for row in goals.rows}
    total = goals.total

    def serving(goal: str) -> int:
        return sum(n for key, n in by_key.items() if goal in key.split("+"))

    sentences = [
        ngettext("%(n)d partnership is mapped.", "%(n)d partnerships are mapped.", total)
        % {"n": total}
    ]
    served = sorted(((serving(g), g) for g in Goal), key=lambda t: (-t[0], t[1]))
    sentences.append(
        "; ".join(
            _("%(share)s%% serve %(goal)s")
            % {"share": share_text(share(n, total)), "goal": GOAL_PHRASES[Goal(g)]}
            for n, g in served
        )
        + "."
    )
    alone = [(by_key[g], g) for g in Goal]
    sentences.append(
        "; ".join(
            _("%(share)s%% serve %(goal)s alone")
            % {"share": share_text(share(n, total)), "goal": GOAL_PHRASES[Goal(g)]}
            for n, g in alone
        )
        + "."
    )
    multi = sum(n for key, n in by_key.items() if key.count("+") >= 1)
    sentences.append(
        _("%(share)s%% serve more than one goal.") % {"share": share_text(share(multi, total))}
    )
    if structure.total:
        q = {row.key: row.values[0] for row in structure.rows}
        complex_n = q["complex+internal"] + q["complex+external"]
        external_n = q["simple+external"] + q["complex+external"]
        sentences.append(
            _(
                "%(complex)s%% are complex and %(external)s%% involve external organizations; "
                "%(ce)s%% are both."
            )
            % {
                "complex": share_text(share(complex_n, structure.total)),
                "external": share_text(share(external_n, structure.total)),
                "ce": share_text(share(q["complex+external"], structure.total)),
            }
        )
    if by_key["none"]:
        sentences.append(
            ngettext(
                "%(n)d partnership has no goal recorded.",
                "%(n)d partnerships have no goal recorded.",
                by_key["none"],
            )
            % {"n": by_key["none"]}
        )
    return sentences
