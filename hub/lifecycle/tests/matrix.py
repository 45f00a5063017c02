"""The lifecycle app's URLs in the permission matrix: each sub-package's cases, merged."""

from hub.lifecycle.tests import matrix_agreements

CASES = {**matrix_agreements.CASES}


def setup(world):
    matrix_agreements.setup(world)
