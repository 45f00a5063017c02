"""Hypothesis-generated rows for the partnerships and organizations kinds: whatever letters the
titles and names hold, however the directory's names are spelled (case, accents, spaces) and in
whichever language the goals and kinds are written, the import records exactly the values
written, matches the directory's organizations instead of adding them again, and a second import
adds nothing."""

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.directory.factories import OrganizationFactory
from hub.directory.matching import name_key, normalize_name
from hub.directory.models import Organization
from hub.imports.kinds import get_kind
from hub.imports.models import ImportedRecord
from hub.imports.records import import_file
from hub.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

# The directory the rows name, each name with letters a spelling may change.
HELD = [
    ("Städtisches Museum Graz", "museum"),
    ("Bibliothèque nationale de France", "library"),
    ("Österreichische Nationalbibliothek", "library"),
    ("Muzeum Narodowe w Krakowie", "museum"),
    ("Národní archiv", "archive"),
    ("Université de Genève", "university_research"),
]
GOAL_SPELLINGS = {
    "content": ["content", "Inhalte", "contenu", "CONTENT"],
    "funding": ["Finanzierung", "funding", "financiación", "تمويل"],
    "advocacy": ["advocacy", "Öffentlichkeitsarbeit", "plaidoyer"],
}
KIND_SPELLINGS = {
    "museum": ["Museum", "musée", "museo", "MUSEUM"],
    "library": ["Bibliothek", "Bibliothèque", "library", "biblioteca"],
    "university_research": ["Universität", "Université", "University or research"],
    "archive": ["Archiv", "archives", "Archive"],
}
COUNTRY_SPELLINGS = {
    "AT": ["Österreich", "Austria", "AT", "Autriche"],
    "FR": ["France", "Frankreich", "fr"],
    "DE": ["Deutschland", "Germany", "DE", "Allemagne"],
}
HELD_WORDS = {word for name, _kind in HELD for word in normalize_name(name).split()}
EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

texts = (
    st.text(
        alphabet=st.characters(categories=("Lu", "Ll", "Nd", "Zs"), exclude_characters="\x00"),
        min_size=2,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: len(s) >= 2 and not s[0].isdigit() and name_key(s))
)
# a new organization's name shares no word with the directory's (that would make it a close,
# uncertain match, which is a person's choice)
new_names = texts.filter(lambda s: not set(normalize_name(s).split()) & HELD_WORDS)


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


SPELLINGS = [
    lambda s: s,
    str.upper,
    str.lower,
    unaccented,
    lambda s: "  " + s.replace(" ", "   ") + " ",
    lambda s: unaccented(s).casefold(),
]
spelled = st.tuples(st.integers(0, len(HELD) - 1), st.integers(0, len(SPELLINGS) - 1))


def spell(held: int, style: int) -> str:
    return SPELLINGS[style](HELD[held][0])


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


@pytest.fixture
def directory(db):
    return [OrganizationFactory(name=name, kind=kind) for name, kind in HELD]


def _forget(kept: set[int]) -> None:
    """What an earlier example imported: each example starts from the same directory."""
    ImportedRecord.objects.all().delete()
    for partnership in Partnership.objects.all():
        partnership.participants.all().delete()
        partnership.delete()
    Organization.objects.exclude(pk__in=kept).delete()


partnership_row = st.tuples(
    texts,
    st.lists(spelled, min_size=1, max_size=3, unique_by=lambda pair: pair[0]),
    st.lists(
        st.tuples(st.sampled_from(sorted(GOAL_SPELLINGS)), st.integers(0, 3)),
        min_size=1,
        max_size=3,
        unique_by=lambda pair: pair[0],
    ),
    st.sampled_from(["; ", ", ", " / "]),
)


@EXAMPLES
@given(rows=st.lists(partnership_row, min_size=1, max_size=8, unique_by=lambda r: name_key(r[0])))
def test_generated_partnerships_import_exactly(rows, affiliate, editor, directory, tmp_path):
    kept = {org.pk for org in directory} | {affiliate.pk}
    _forget(kept)
    organizations = Organization.objects.count()
    sheet = [["Titel", "Partner", "Ziele"]]
    for title, partners, goals, separator in rows:
        words = [GOAL_SPELLINGS[goal][n % len(GOAL_SPELLINGS[goal])] for goal, n in goals]
        sheet.append(
            [title, "; ".join(spell(*partner) for partner in partners), separator.join(words)]
        )
    path = write_csv(tmp_path / "partnerships.csv", sheet)
    checked = get_kind("partnerships").run(path, organization=affiliate, actor=editor)
    assert checked.messages() == []
    assert checked.valid_rows == len(rows)
    assert checked.new_organizations == []

    result = import_file(path, kind="partnerships", organization=affiliate, actor=editor)
    assert result.created == len(rows)
    assert Organization.objects.count() == organizations  # every partner matched
    recorded = {
        p.title: (
            set(p.goals),
            {(part.organization_id, part.role) for part in p.participants.all()},
        )
        for p in Partnership.objects.prefetch_related("participants")
    }
    expected = {
        title: (
            {goal for goal, _n in goals},
            {(affiliate.pk, "lead")} | {(directory[held].pk, "partner") for held, _s in partners},
        )
        for title, partners, goals, _separator in rows
    }
    assert recorded == expected
    again = import_file(path, kind="partnerships", organization=affiliate, actor=editor)
    assert (again.created, again.already_imported) == (0, len(rows))


organization_row = st.tuples(
    new_names,
    st.sampled_from(sorted(KIND_SPELLINGS)),
    st.integers(0, 3),
    st.sampled_from(sorted(COUNTRY_SPELLINGS)),
    st.integers(0, 3),
)


@EXAMPLES
@given(
    new=st.lists(organization_row, max_size=8, unique_by=lambda r: name_key(r[0])),
    held=st.lists(spelled, max_size=4, unique_by=lambda pair: pair[0]),
    order=st.randoms(use_true_random=False),
)
def test_generated_organizations_import_exactly(
    new, held, order, affiliate, editor, directory, tmp_path
):
    kept = {org.pk for org in directory} | {affiliate.pk}
    _forget(kept)
    before = Organization.objects.count()
    lines = []
    for name, kind, kind_style, country, country_style in new:
        kinds, countries = KIND_SPELLINGS[kind], COUNTRY_SPELLINGS[country]
        lines.append(
            [
                name,
                kinds[kind_style % len(kinds)],
                countries[country_style % len(countries)],
            ]
        )
    lines.extend([spell(*pair), "", ""] for pair in held)
    order.shuffle(lines)
    path = write_csv(tmp_path / "organizations.csv", [["Name", "Art", "Land"], *lines])
    checked = get_kind("organizations").run(path, organization=affiliate, actor=editor)
    assert checked.messages() == []
    assert (checked.valid_rows, checked.already_imported) == (len(lines), len(held))

    result = import_file(path, kind="organizations", organization=affiliate, actor=editor)
    assert (result.created, result.already_imported) == (len(new), len(held))
    assert Organization.objects.count() == before + len(new)
    added = set(Organization.objects.exclude(pk__in=kept).values_list("name", "kind", "country"))
    assert added == {(name, kind, country) for name, kind, _k, country, _c in new}
    again = import_file(path, kind="organizations", organization=affiliate, actor=editor)
    assert (again.created, again.already_imported) == (0, len(lines))
