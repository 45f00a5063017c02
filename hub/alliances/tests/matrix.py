"""The alliances app's cases in the permission matrix, gathered from one module per sub-package."""

from hub.alliances.tests import matrix_network

CASES = {**matrix_network.CASES}


def setup(world):
    matrix_network.setup(world)
