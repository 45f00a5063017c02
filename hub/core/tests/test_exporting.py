"""Several values in one export cell: `split_items` gives back what `join_items` wrote."""

from hypothesis import given
from hypothesis import strategies as st

from hub.core.exporting import join_items, split_items

VALUES = st.text(st.characters(codec="utf-8")).filter(lambda s: s.strip() == s and s)


@given(st.lists(VALUES, max_size=8))
def test_split_items_gives_back_the_joined_values(values):
    assert split_items(join_items(values)) == values


def test_split_items_reads_what_a_person_types():
    assert split_items(" a;b ; c; ") == ["a", "b", "c"]
    assert split_items("a;;b; c") == ["a;b", "c"]
    assert split_items(None) == []
