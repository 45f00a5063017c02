"""The lifecycle app's pages in the permission matrix: each sub-package lists its own."""

from hub.lifecycle.tests import matrix_documents

CASES = {**matrix_documents.CASES}


def setup(world) -> None:
    matrix_documents.setup(world)
