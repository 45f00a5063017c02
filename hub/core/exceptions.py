class StaleVersionError(Exception):
    """The record changed since the person (or client) read it; their write would overwrite it."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"the record is now at version {current_version}")
        self.current_version = current_version
