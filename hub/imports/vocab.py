"""The words people type for a choice, in every shipped language: "Inhalte", "contenu" and
"content" are the goal `content`; "Gastgeber" and "hôte" the role `host`.

`choice_words(choices, extra)` maps each folded word to its stored code: the code itself ("ended_early",
"ended early"), the choice's label in each language of settings.LANGUAGES (from the catalogues,
so a translated label is understood as soon as it is shipped), and the short words offices write
that are not labels (`extra`). Built once per process, on first use: labels are translated when
they are read, not when the module loads.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation

from hub.core.models import Visibility
from hub.core.tabular import fold
from hub.directory.models import Organization
from hub.partnerships.models import Goal, Participant, Partnership


def choice_words(choices, extra: Mapping[Any, tuple[str, ...]] | None = None) -> dict[str, str]:
    """folded word -> code for a TextChoices class: its codes, its labels in every shipped
    language, and `extra` (code -> the other words for it). A word two codes claim keeps the
    first (in the order of the choices)."""
    words: dict[str, str] = {}
    for code in choices.values:
        words.setdefault(fold(code), code)
        words.setdefault(fold(code.replace("_", " ")), code)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices.choices:
                words.setdefault(fold(str(label)), code)
                # "Funding / resources": each half alone is the goal too; "Public: anyone"
                for part in str(label).split(":")[0].split("/"):
                    if part.strip():
                        words.setdefault(fold(part), code)
    for code, others in (extra or {}).items():
        for word in others:
            words.setdefault(fold(word), code)
    words.pop("", None)
    return words


# The short words partnership offices write in the shipped languages besides the labels.
_GOALS = {
    Goal.FUNDING: (
        "money",
        "finance",
        "finances",
        "financial",
        "sponsoring",
        "sponsorship",
        "finanzierung",
        "finanziell",
        "forderung",
        "forderungen",
        "geld",
        "ressourcen",
        "financement",
        "financier",
        "ressources",
        "mecenat",
        "financiacion",
        "financiamiento",
        "fondos",
        "recursos",
        "patrocinio",
        "تمويل",
        "موارد",
    ),
    Goal.CONTENT: (
        "contents",
        "inhalte",
        "inhalt",
        "contenu",
        "contenus",
        "contenido",
        "contenidos",
        "content donation",
        "inhaltsspende",
        "don de contenu",
        "donacion de contenido",
        "محتوى",
    ),
    Goal.ADVOCACY: (
        "outreach",
        "awareness",
        "lobbying",
        "interessenvertretung",
        "offentlichkeitsarbeit",
        "lobbyarbeit",
        "plaidoyer",
        "sensibilisation",
        "incidencia",
        "promocion",
        "difusion",
        "divulgacion",
        "مناصرة",
        "توعية",
    ),
}
_STATUSES = {
    Partnership.Status.IDEA: ("idee", "idée", "فكرة"),
    Partnership.Status.PROSPECT: (
        "planned",
        "planning",
        "geplant",
        "in planung",
        "prevu",
        "en projet",
        "previsto",
        "planificado",
    ),
    Partnership.Status.ACTIVE: (
        "running",
        "ongoing",
        "current",
        "laufend",
        "aktiv",
        "en cours",
        "actif",
        "active",
        "en curso",
        "activo",
        "activa",
        "vigente",
        "نشط",
        "جارية",
    ),
    Partnership.Status.PAUSED: (
        "on hold",
        "pausiert",
        "ruht",
        "en pause",
        "suspendu",
        "en pausa",
        "pausado",
        "suspendido",
    ),
    Partnership.Status.COMPLETED: (
        "done",
        "finished",
        "ended",
        "closed",
        "abgeschlossen",
        "beendet",
        "fertig",
        "termine",
        "terminé",
        "fini",
        "acheve",
        "terminado",
        "finalizado",
        "concluido",
        "مكتملة",
        "منتهية",
    ),
    Partnership.Status.ENDED_EARLY: (
        "cancelled",
        "canceled",
        "abgebrochen",
        "annule",
        "annulé",
        "cancelado",
        "interrumpido",
    ),
    Partnership.Status.DECLINED: (
        "rejected",
        "refused",
        "abgelehnt",
        "refuse",
        "refusé",
        "rechazado",
        "rechazada",
        "مرفوضة",
    ),
}
_ROLES = {
    Participant.Role.PARTNER: ("partnerin", "partenaire", "socio", "socia", "شريك"),
    Participant.Role.FUNDER: (
        "sponsor",
        "donor",
        "forderer",
        "geldgeber",
        "financeur",
        "mecene",
        "financiador",
        "patrocinador",
        "ممول",
    ),
    Participant.Role.HOST: (
        "venue",
        "gastgeber",
        "ausrichter",
        "hote",
        "accueil",
        "anfitrion",
        "sede",
        "مضيف",
    ),
    Participant.Role.CONTENT_PROVIDER: (
        "content",
        "inhaltegeber",
        "fournisseur de contenu",
        "proveedor de contenido",
    ),
    Participant.Role.SUPPORTER: ("unterstutzer", "soutien", "apoyo", "داعم"),
    Participant.Role.BACKBONE: ("coordinator", "koordination", "coordination", "coordinacion"),
}
_SCOPES = {
    Partnership.Scope.LOCAL: ("lokal", "regional city", "locale", "municipal"),
    Partnership.Scope.NATIONAL: ("national", "bundesweit", "nacional", "وطني"),
    Partnership.Scope.REGIONAL: ("regional", "regionale", "إقليمي"),
    Partnership.Scope.GLOBAL: (
        "international",
        "worldwide",
        "weltweit",
        "mondial",
        "internacional",
        "عالمي",
    ),
}
_STRUCTURES = {
    Partnership.Structure.SIMPLE: ("einfach", "simple", "sencilla", "sencillo", "بسيطة"),
    Partnership.Structure.COMPLEX: ("komplex", "complexe", "compleja", "complejo", "معقدة"),
}
_VISIBILITY = {
    Visibility.PUBLIC: ("öffentlich", "offentlich", "publique", "publico", "pública", "عام"),
    Visibility.MOVEMENT: ("movement only", "bewegung", "mouvement", "movimiento", "الحركة"),
    Visibility.PRIVATE: ("privat", "privé", "prive", "privado", "privada", "intern", "internal", "خاص"),
}  # fmt: skip


@functools.cache
def goal_words() -> dict[str, str]:
    return choice_words(Goal, _GOALS)


@functools.cache
def status_words() -> dict[str, str]:
    return choice_words(Partnership.Status, _STATUSES)


@functools.cache
def role_words() -> dict[str, str]:
    return choice_words(Participant.Role, _ROLES)


@functools.cache
def scope_words() -> dict[str, str]:
    return choice_words(Partnership.Scope, _SCOPES)


@functools.cache
def structure_words() -> dict[str, str]:
    return choice_words(Partnership.Structure, _STRUCTURES)


@functools.cache
def organization_kind_words() -> dict[str, str]:
    return choice_words(Organization.Kind)


@functools.cache
def visibility_words() -> dict[str, str]:
    return choice_words(Visibility, _VISIBILITY)
