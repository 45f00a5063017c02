"""The one search (hub/core/search) in the API: the same results, counts and facets as /search/,
for the caller's own view of the records."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hub.api.auth import READ_AUTH, caller
from hub.api.endpoints import MAX_ID, prepared, refuse_repeated
from hub.api.problems import Problem, invalid
from hub.core.search import get_kind, kinds, terms
from hub.core.search.query import MAX_PAGE, Filters, search
from hub.core.search.views import LANGUAGE

router = Router(tags=["search"], auth=READ_AUTH)


class SearchQuery(Schema):
    q: str = Field("", max_length=2000, description="The words to look for, as typed.")
    kind: str = Field("", max_length=40, description="Only records of this kind.")
    language: str = Field("", max_length=12, description="Only records in this language (BCP 47).")
    organization: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only records concerning this organization (its id)."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page of results, from 1.")
    limit: int = Field(20, ge=1, le=100, description="Results a page, 1 to 100.")


class KindCount(Schema):
    kind: str
    label: str
    count: int


class LanguageCount(Schema):
    language: str
    count: int


class OrganizationCount(Schema):
    id: int
    name: str
    count: int


class SearchHit(Schema):
    kind: str
    id: int
    url: str
    language: str
    title: str
    title_html: str = Field(
        description="The title, HTML-escaped, with <mark> around the words found."
    )
    snippet_html: str = Field(description="Some of the text, HTML-escaped, with <mark>s.")


class SearchResults(Schema):
    """Not a cursor page (a search's pages are numbered), with the lists' items, next and
    notices."""

    query: str
    total: int
    page: int
    pages: int
    kinds: list[KindCount]
    languages: list[LanguageCount]
    organizations: list[OrganizationCount]
    items: list[SearchHit]
    next: str | None
    notices: list[str]


@router.get(
    "/search",
    response={200: SearchResults, 422: Problem},
    url_name="search",
    summary="Search everything",
)
def search_list(request: HttpRequest, filters: Query[SearchQuery]):
    """Partnerships, organizations and every other kind the hub searches, among the records the
    caller may see: every word must appear, the last may be the start of a word."""
    refuse_repeated(request, SearchQuery)
    if filters.kind and get_kind(filters.kind) is None:
        raise invalid(
            "kind", _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(k.name for k in kinds())}
        )
    if filters.language and not LANGUAGE.match(filters.language):
        raise invalid("language", _("Give a language code such as en or pt-br."))
    text = terms.clean_text(filters.q)
    results = search(
        caller(request),
        terms.parse(text),
        Filters(
            kind=filters.kind, language=filters.language.lower(), organization=filters.organization
        ),
        page=filters.page,
        per_page=filters.limit,
    )
    following = None
    if results.page < results.pages:
        params = request.GET.copy()
        params["page"] = str(results.page + 1)
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    data = {
        "query": text,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "kinds": [
            {"kind": kind.name, "label": str(kind.label), "count": results.kinds.get(kind.name, 0)}
            for kind in kinds()
        ],
        "languages": [
            {"language": code, "count": count} for code, count in sorted(results.languages.items())
        ],
        "organizations": [
            {"id": pk, "name": name, "count": count} for pk, name, count in results.organizations
        ],
        "items": [
            {
                "kind": hit.kind,
                "id": hit.object_id,
                "url": request.build_absolute_uri(hit.url),
                "language": hit.language,
                "title": hit.plain_title,
                "title_html": str(hit.title),
                "snippet_html": str(hit.snippet),
            }
            for hit in results.hits
        ],
        "next": following,
        "notices": [] if results.terms else [_("Type a word with letters or digits to search.")],
    }
    return prepared(request, data)
