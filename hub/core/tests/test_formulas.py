"""The one formula neutralisation every CSV and spreadsheet of the hub goes through."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.core import charts
from hub.core.formulas import neutralize, unneutralize

TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"


@pytest.mark.parametrize(
    "text",
    ["=1+1", " =1+1", "\u00a0\u3000+1", "\n@SUM(A1)", "\uff1dHYPERLINK(1)", " \uff0b1", "\t-2"],
)
def test_a_trigger_after_whitespace_or_in_fullwidth_is_neutralized(text):
    assert neutralize(text) == "'" + text
    assert unneutralize(neutralize(text)) == text


@given(st.text())
def test_no_cell_begins_with_a_trigger(text):
    first = neutralize(text).lstrip()[:1]
    assert not first or first not in TRIGGERS


@given(st.text(alphabet=st.sampled_from([*TRIGGERS, " ", "\n", "\u3000", "a", "'", "1"])))
def test_each_neutralized_cell_reads_back(text):
    assert unneutralize(neutralize(text)) == text


def test_chart_csv_uses_the_same_rule():
    text = charts.rows_to_csv(["name", "n"], [[" =HYPERLINK(1)", 1], ["\uff20x", 2]])
    assert list(csv.reader(io.StringIO(text)))[1:] == [["' =HYPERLINK(1)", "1"], ["'\uff20x", "2"]]
