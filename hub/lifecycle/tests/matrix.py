"""The lifecycle app's pages in the permission matrix: each sub-package lists its own
(matrix_steps.py, matrix_agreements.py, ...) and this module gathers them for
hub.core.testing.matrix."""

from hub.lifecycle.tests import matrix_agreements, matrix_steps

PARTS = (matrix_steps, matrix_agreements)
CASES = {name: case for part in PARTS for name, case in part.CASES.items()}


def setup(world):
    for part in PARTS:
        part.setup(world)
