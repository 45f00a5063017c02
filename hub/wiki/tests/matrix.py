"""The wiki app's URLs in the permission matrix: each part lists its own (matrix_reconcile.py)
and this module gathers them for hub.core.testing.matrix."""

from hub.wiki.tests import matrix_reconcile

PARTS = (matrix_reconcile,)
CASES = {name: case for part in PARTS for name, case in part.CASES.items()}


def setup(world) -> None:
    for part in PARTS:
        part.setup(world)
