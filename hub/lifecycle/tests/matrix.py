"""The lifecycle app's pages in the permission matrix: each sub-package lists its own
(matrix_steps.py, matrix_agreements.py, matrix_documents.py) and this module gathers them for
hub.core.testing.matrix."""

from hub.lifecycle.tests import matrix_agreements, matrix_documents, matrix_steps

PARTS = (matrix_steps, matrix_agreements, matrix_documents)
CASES = {name: case for part in PARTS for name, case in part.CASES.items()}


def setup(world) -> None:
    for part in PARTS:
        part.setup(world)
