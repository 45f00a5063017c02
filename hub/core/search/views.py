"""The search page: what the viewer may see that holds the words typed, grouped by kind.

Domain-free: it reads the kinds registered in hub/core/search/registry.py. Any text is a query;
odd filter values are ignored rather than refused, so the page always answers.
"""

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hub.core.search import registry, terms
from hub.core.search.query import MAX_PAGE, Filters, Results, search

LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_ID = 2**62


@dataclass(frozen=True)
class Asked:
    text: str
    filters: Filters
    page: int


def _number(value: str | None, *, maximum: int) -> int | None:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None


def asked(params: QueryDict | dict) -> Asked:
    """The query and filters of a request's parameters; what is not understood is left out."""
    kind = params.get("kind") or ""
    language = params.get("language") or ""
    return Asked(
        text=terms.clean_text(params.get("q")),
        filters=Filters(
            kind=kind if registry.get_kind(kind) else "",
            language=language.lower() if len(language) <= 12 and LANGUAGE.match(language) else "",
            organization=_number(params.get("organization"), maximum=MAX_ID),
        ),
        page=_number(params.get("page"), maximum=10_000) or 1,
    )


def language_label(code: str) -> str:
    if not code:
        return _("Language not stated")
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def groups(results: Results) -> list[dict]:
    """The page's hits by kind, in the kinds' order, each with its label and count."""
    grouped: list[dict] = []
    for kind in registry.kinds():
        hits = [hit for hit in results.hits if hit.kind == kind.name]
        if hits:
            grouped.append({"kind": kind, "hits": hits, "count": results.kinds.get(kind.name, 0)})
    return grouped


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    question = asked(request.GET)
    results = search(request.user, terms.parse(question.text), question.filters, page=question.page)
    kinds = [{"kind": kind, "count": results.kinds.get(kind.name, 0)} for kind in registry.kinds()]
    languages = [
        {"code": code, "label": language_label(code), "count": count}
        for code, count in sorted(results.languages.items())
    ]
    # The pages of the results, for core/pagination.html (a range: nothing is fetched).
    shown = min(results.total, MAX_PAGE * results.per_page)
    page = Paginator(range(shown), results.per_page).get_page(results.page)
    return render(
        request,
        "core/search.html",
        {
            "q": question.text,
            "filters": question.filters,
            "results": results,
            "groups": groups(results),
            "kinds": kinds,
            "language_facets": languages,
            "page": page,
            "searched": bool(question.text),
            "first": (results.page - 1) * results.per_page + 1,
            "last": (results.page - 1) * results.per_page + len(results.hits),
        },
    )
