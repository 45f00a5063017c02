"""The alliances app's pages in the permission matrix: each sub-package lists its own
(matrix_assessments.py, matrix_network.py) and this module gathers them
for hub.core.testing.matrix."""

from hub.alliances.tests import matrix_assessments, matrix_network

PARTS = (matrix_assessments, matrix_network)
CASES = {name: case for part in PARTS for name, case in part.CASES.items()}


def setup(world) -> None:
    for part in PARTS:
        part.setup(world)
