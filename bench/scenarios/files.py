"""Import and export scenarios (issue 4): time and memory growth against the floor."""

from __future__ import annotations
