"""Every translatable string of the hub has a translation in each shipped catalogue, with the same
placeholders as the original.

The msgids are extracted afresh from the code and templates (Django's makemessages, run on a copy of
the sources), so a string marked today and not yet in a catalogue fails here as surely as one a
translator left empty or fuzzy.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The templates with strings: pages and mail (html, txt), code, and the infographic (svg), as in
# the Makefile's `messages`.
MESSAGE_EXTENSIONS = ["-e", "html,txt,py,svg"]
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
SHOWN = 200  # msgids named per language in a failure message

# One %-directive: %% (a percent sign), %(name)s, a positional %s (flags, width, precision), or a
# lone % that is none of these.
PERCENT = re.compile(r"%(?:(%)|\((\w+)\)|)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]?")
BRACES = re.compile(r"\{(\w*)\}")

Key = tuple[str | None, str]


def catalogue_path(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def key(entry: polib.POEntry) -> Key:
    return entry.msgctxt, entry.msgid


def describe(k: Key) -> str:
    return repr(k[1]) if k[0] is None else f"{k[1]!r} (context {k[0]!r})"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[Key, polib.POEntry]:
    """The msgids the code and templates use now: makemessages on a copy of the sources."""
    copy = tmp_path_factory.mktemp("sources")
    skip = shutil.ignore_patterns("__pycache__", "tests", "*.pyc")
    shutil.copytree(ROOT / "hub", copy / "hub", ignore=skip)
    shutil.copytree(ROOT / "templates", copy / "templates", ignore=skip)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    env = {**os.environ, "DEBUG": "1", "DATA_DIR": str(copy / "data")}
    subprocess.run(  # noqa: S603 (our own manage.py)
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--keep-pot",
            "--no-obsolete",
            *MESSAGE_EXTENSIONS,
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    pot = polib.pofile(str(copy / "locale" / "django.pot"))
    entries = {key(e): e for e in pot if not e.obsolete}
    assert len(entries) > 500, "the extraction found too few strings to be the hub's"
    return entries


def _plural_count(catalogue: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def _untranslated(entry: polib.POEntry | None, forms: int) -> bool:
    if entry is None or entry.obsolete or "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return any(not entry.msgstr_plural.get(i, "").strip() for i in range(forms))
    return not entry.msgstr.strip()


def _directives(text: str) -> tuple[set[str], list[str], int]:
    """The named placeholders, the positional ones in order, and the number of lone % signs."""
    named, positional, lone = set(), [], 0
    for found in PERCENT.finditer(text):
        directive = found.group(0)
        if found.group(1):
            continue
        if found.group(2):
            named.add(found.group(2))
        elif directive[-1:].isalpha():
            positional.append(directive[-1])
        else:
            lone += 1
    return named, positional, lone


def placeholder_problems(
    original: str, translation: str, *, percent_format: bool = True, plural_form: bool = False
) -> list[str]:
    """How `translation`'s placeholders differ from `original`'s (empty when they agree).

    Named %(name)s and {name} placeholders must be the same set; positional %s must be the same in
    the same order, since they are filled in order; in a %-format string a % that is not a
    placeholder or %% breaks the formatting. A plural form may leave out a named placeholder
    (Arabic says "one partnership" without the number) but never bring in another one.
    """
    problems = []
    if percent_format:
        ours, positional, _lone = _directives(original)
        theirs, their_positional, lone = _directives(translation)
        if theirs - ours or (not plural_form and ours - theirs):
            problems.append(f"named {sorted(ours)} became {sorted(theirs)}")
        if positional != their_positional:
            problems.append(f"positional {positional} became {their_positional}")
        if lone:
            problems.append("a lone % (write %% for a percent sign)")
    ours_b, theirs_b = set(BRACES.findall(original)), set(BRACES.findall(translation))
    if theirs_b - ours_b or (not plural_form and ours_b - theirs_b):
        problems.append(f"braces {sorted(ours_b)} became {sorted(theirs_b)}")
    return problems


def _entry_problems(entry: polib.POEntry) -> list[str]:
    percent_format = "python-format" in entry.flags
    if not entry.msgid_plural:
        return placeholder_problems(entry.msgid, entry.msgstr, percent_format=percent_format)
    problems = []
    for form, text in sorted(entry.msgstr_plural.items()):
        problems += [
            f"form {form}: {p}"
            for p in placeholder_problems(
                entry.msgid_plural, text, percent_format=percent_format, plural_form=True
            )
        ]
    # Together the forms must still use every placeholder of the plural original.
    used = set().union(*(_directives(t)[0] for t in entry.msgstr_plural.values()))
    unused = _directives(entry.msgid_plural)[0] - used
    if percent_format and unused:
        problems.append(f"no form uses {sorted(unused)}")
    return problems


def _report(found: dict[str, list[str]], what: str) -> str:
    lines = []
    for language, items in sorted(found.items()):
        lines.append(f"{language}: {len(items)} {what}")
        lines += [f"  {item}" for item in items[:SHOWN]]
        if len(items) > SHOWN:
            lines.append(f"  ... and {len(items) - SHOWN} more")
    return "\n".join(lines)


def test_every_language_of_the_header_ships_a_catalogue():
    missing = [language for language in LANGUAGES if not catalogue_path(language).is_file()]
    assert not missing, f"no catalogue for {missing} (run `make messages`)"


def test_every_string_has_a_translation_in_every_catalogue(extracted):
    missing: dict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        catalogue = polib.pofile(str(catalogue_path(language)))
        forms = _plural_count(catalogue)
        entries = {key(e): e for e in catalogue if not e.obsolete}
        for k in extracted:
            if _untranslated(entries.get(k), forms):
                state = "not in the catalogue" if k not in entries else "untranslated or fuzzy"
                missing[language].append(f"{describe(k)}: {state}")
    assert not missing, "Strings without a translation (then run `make messages`):\n" + _report(
        missing, "msgids"
    )


def test_translations_keep_the_placeholders_of_the_original(extracted):
    wrong: dict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        for entry in polib.pofile(str(catalogue_path(language))):
            if entry.obsolete or key(entry) not in extracted or _untranslated(entry, 1):
                continue
            for problem in _entry_problems(entry):
                wrong[language].append(f"{describe(key(entry))}: {problem}")
    assert not wrong, "Translations whose placeholders differ:\n" + _report(wrong, "problems")


@pytest.mark.parametrize(
    ("original", "translation", "problem"),
    [
        ("%(count)s partnerships", "%(count)s Partnerschaften", ""),
        ("%(count)s partnerships", "%(anzahl)s Partnerschaften", "named"),
        ("%(count)s partnerships", "Partnerschaften", "named"),
        ("%(a)s and %(b)s", "%(b)s und %(a)s", ""),
        ("%s of %s", "%s von %s", ""),
        ("%s of %d", "%d von %s", "positional"),
        ("%(n)s %% done", "%(n)s % über", "lone %"),
        ("%(n)s %% done", "%(n)s % fertig", "positional"),  # "% f" is a float to Python
        ("%(n)s %% done", "%(n)s %% fertig", ""),
        ("{name} joined", "{name} ist beigetreten", ""),
        ("{name} joined", "{nom} a rejoint", "braces"),
        ("%(n)s%% serve %(goal)s", "%(n)s%% dienen %(goal)s", ""),
        ("%(n)s%% serve %(goal)s", "%(n)s% dienen %(goal)s", "positional"),
        ("100%% of %(x)s", "100 % de %(x)s", "positional"),
    ],
)
def test_the_placeholder_check_itself(original, translation, problem):
    found = " ".join(placeholder_problems(original, translation))
    assert (problem in found) if problem else not found, found


def test_a_plain_percent_sign_is_no_placeholder_outside_format_strings():
    assert not placeholder_problems("50 % done", "50 % fertig", percent_format=False)


def test_a_plural_form_may_leave_out_the_count_but_not_add_a_name():
    assert not placeholder_problems("%(n)s item", "عنصر واحد", plural_form=True)
    assert placeholder_problems("%(n)s item", "%(m)s عنصر", plural_form=True)
