"""Property tests of the key normalization and the Dashboard CSV reader."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hub.outcomes.dashboard import _rows
from hub.outcomes.models import MetricDefinition
from hub.outcomes.services import normalize_key

KINDS = [k for k, _label in MetricDefinition.KeyKind.choices if k]


@given(kind=st.sampled_from(KINDS), raw=st.text(max_size=60))
def test_a_normalized_key_normalizes_to_itself(kind, raw):
    try:
        key = normalize_key(kind, raw)
    except ValidationError:
        return
    assert normalize_key(kind, key) == key
    assert key == key.strip()
    assert "_" not in key or kind in ("item", "revision")


@given(data=st.binary(max_size=300))
def test_any_bytes_are_rows_or_a_clear_refusal(data):
    refusal = None
    try:
        rows = _rows(data)
    except ValidationError as error:
        refusal = error
    if refusal is not None:
        assert refusal.message_dict["file"]
    else:
        assert rows
        assert all(isinstance(r, dict) for r in rows)


@pytest.mark.django_db
@given(
    cell=st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        max_size=20,
    )
)
def test_any_cell_is_imported_or_named(cell):
    from hub.accounts.system import system_actor
    from hub.outcomes.dashboard import dashboard_csv_import
    from hub.partnerships.factories import make_partnership

    partnership = make_partnership(title="Property trams")
    text = cell.replace('"', '""')
    data = f'course_slug,editors\ntrams,"{text}"\n'.encode()
    refusal = None
    figures: list = []
    try:
        figures = dashboard_csv_import(
            actor=system_actor(),
            partnership=partnership,
            data=data,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 31),
        )
    except ValidationError as error:
        refusal = error
    if refusal is not None:
        assert any("Row 2" in m or "no figures" in m for m in refusal.message_dict["file"])
    else:
        assert len(figures) == 1
