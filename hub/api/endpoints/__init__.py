"""The API's operations, one module per domain area. Shared parameters live here."""

from typing import Annotated

from ninja import Path, Query
from pydantic import Field

Limit = Annotated[int, Query(description="Items per page, 1 to 100.", ge=1, le=100)]
Cursor = Annotated[
    str | None,
    Query(description="The opaque cursor from the previous page's `next` link.", max_length=500),
]
RecordId = Annotated[int, Path(ge=1, le=2**62)]
TextFilter = Annotated[str | None, Field(None, max_length=200)]
