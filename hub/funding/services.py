"""Every funding write, gathered by name for callers outside the funding sub-packages (the
spreadsheet import, the demo data, other apps' tests).

Nothing is defined here: each service lives in its sub-package, with its rules beside it —
hub/funding/contributions/services.py (one contribution), contributions/bulk.py (many at once),
rates/services.py, grants/services.py (grants and deadlines), grants/bulk.py (many grants at
once), exchange_rates/services.py.
Code inside hub/funding imports from the sub-package itself.
"""

from hub.funding.contributions.bulk import (  # noqa: F401
    BulkResult,
    RowError,
    Stage,
    contribution_create_many,
    contribution_existing_keys,
    import_entry_create,
)
from hub.funding.contributions.services import (  # noqa: F401
    contribution_archive,
    contribution_create,
    contribution_restore,
    contribution_update,
    contribution_validate,
)
from hub.funding.exchange_rates.services import (  # noqa: F401
    ExchangeRateImport,
    exchange_rates_import,
)
from hub.funding.grants.bulk import (  # noqa: F401
    BulkCreated,
    GrantChecker,
    grant_create_many,
    grant_existing_keys,
)
from hub.funding.grants.services import (  # noqa: F401
    deadline_create,
    deadline_delete,
    deadline_set_done,
    deadline_update,
    grant_create,
    grant_update,
)
from hub.funding.rates.models import RateBook, rate_in_force  # noqa: F401
from hub.funding.rates.services import rate_create, rate_delete, rate_update  # noqa: F401
