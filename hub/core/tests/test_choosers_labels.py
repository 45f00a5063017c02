import pytest

from hub.core.choosers import split_label


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Name (WMAT)", ("Name", "WMAT")),
        ("Museum (Cocos (Keeling) Islands)", ("Museum", "Cocos (Keeling) Islands")),
        ("Museum (old) (Poland)", ("Museum (old)", "Poland")),
        ("  Museum   (Poland)  ", ("Museum", "Poland")),
        ("Museum", None),
        ("(Poland)", None),
        ("Museum ()", None),
        ("Museum (Poland", None),
        ("Museum Poland)", None),
    ],
)
def test_the_last_parenthesis_is_the_label_part_whole(text, parts):
    assert split_label(text) == parts
