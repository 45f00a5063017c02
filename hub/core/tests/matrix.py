"""Core's own pages in the permission matrix: the search, open to everyone (what it finds is the
viewer's: hub/core/search/tests)."""

from django.urls import reverse

from hub.core.testing.matrix import Case, everyone

CASES = {
    "search:search": Case(lambda w: reverse("search:search") + "?q=testland", everyone(200)),
}
