"""The lifecycle app's pages in the permission matrix: each sub-package lists its own
(matrix_steps.py, ...) and this module gathers them for hub.core.testing.matrix."""

from hub.lifecycle.tests import matrix_steps

CASES = {**matrix_steps.CASES}


def setup(world):
    matrix_steps.setup(world)
