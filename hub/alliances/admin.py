"""The alliances app's admin, one module per sub-package."""

from hub.alliances.assessments import admin as assessments  # noqa: F401
