"""The registry export's list cells read back exactly as written (no database needed)."""

from hypothesis import given
from hypothesis import strategies as st

from hub.core.exporting import join_items
from hub.partnerships.exporting import link_items, partner_items

NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(
    lambda s: s.strip() == s and s
)


@given(
    st.lists(
        st.tuples(
            NAMES,
            st.sampled_from(["partner", "host", "funder", "content_provider"]),
        ),
        max_size=5,
    )
)
def test_partners_read_back_as_written(partners):
    cell = join_items(f"{name} ({role})" for name, role in partners)
    assert partner_items(cell) == partners


@given(
    st.lists(
        st.tuples(
            st.one_of(st.just(""), NAMES),
            st.from_regex(r"\Ahttps://[a-z]+\.example/[a-z0-9;=&?]*\Z"),
        ),
        max_size=5,
    )
)
def test_links_read_back_as_written(links):
    cell = join_items(f"{label} <{url}>" if label else f"<{url}>" for label, url in links)
    assert link_items(cell) == links


def test_a_partner_typed_without_a_role_is_a_partner():
    assert partner_items("Louvre; Museum (Berlin) (host)") == [
        ("Louvre", "partner"),
        ("Museum (Berlin)", "host"),
    ]
