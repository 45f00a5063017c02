"""PageQuery: the ORM's query over a page's ids, compiled once per page size, gives the ORM's rows."""

import datetime

import pytest
from django.db.models import CharField, Value

from hub.api.statements import PageQuery
from hub.partnerships.factories import make_partnership
from hub.partnerships.models import Partnership


def _titles_and_dates(ids):
    return (
        Partnership.objects.filter(pk__in=ids)
        .annotate(mark=Value(7), label=Value("x", CharField()))
        .order_by("pk")
        .values_list("pk", "title", "start_date", "mark", "label")
    )


@pytest.mark.django_db
def test_rows_are_the_querysets_for_every_page_and_size(affiliate):
    made = [
        make_partnership(lead=affiliate, title=f"P{i}", start_date=datetime.date(2020, 1, i + 1))
        for i in range(5)
    ]
    ids = [p.pk for p in made]
    query = PageQuery(_titles_and_dates)
    # The same size twice with other ids: the kept SQL takes the new ids.
    for page in (ids[:2], ids[3:], ids, ids[2:3], [ids[4], ids[0]]):
        assert query.rows(page) == list(_titles_and_dates(page))
    assert query.rows([ids[0]])[0][2] == datetime.date(2020, 1, 1)  # converted as the ORM does
    assert query.rows([]) == []


@pytest.mark.django_db
def test_a_query_that_ignores_its_ids_is_refused():
    query = PageQuery(lambda ids: Partnership.objects.values_list("pk"))
    with pytest.raises(ValueError, match="every id"):
        query.rows([1, 2])
