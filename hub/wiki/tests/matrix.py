"""The wiki app's pages in the permission matrix: each part lists its own (matrix_publishing.py,
matrix_wikidata.py) and this module gathers them for hub.core.testing.matrix."""

from hub.wiki.tests import matrix_publishing, matrix_wikidata

PARTS = (matrix_publishing, matrix_wikidata)
CASES = {name: case for part in PARTS for name, case in part.CASES.items()}


def setup(world) -> None:
    for part in PARTS:
        part.setup(world)
