"""The funding app's models, one sub-package per sub-domain (C6); Django finds them here.

- contributions: InKindContribution (hub/funding/contributions/models.py)
- rates: ValuationRate (hub/funding/rates/models.py)
- exchange rates: ExchangeRate (hub/funding/exchange_rates/models.py)
- grants: Grant, ReportingDeadline (hub/funding/grants/models.py)

Import a model from its sub-package; the names here are kept for Django (the app label is
`funding`) and for the migrations, which name `hub.funding.models.evidence_path`.
"""

from hub.funding.choices import (  # noqa: F401
    Category,
    Unit,
    ValuationMethod,
    ValueSource,
    currency_validator,
)
from hub.funding.contributions.models import (  # noqa: F401
    InKindContribution,
    InKindContributionQuerySet,
    evidence_path,
)
from hub.funding.exchange_rates.models import ExchangeRate  # noqa: F401
from hub.funding.grants.models import Grant, GrantQuerySet, ReportingDeadline  # noqa: F401
from hub.funding.rates.models import ValuationRate  # noqa: F401
