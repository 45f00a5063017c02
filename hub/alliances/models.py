"""The alliances app's models, one sub-package per sub-domain (C10); Django finds them here.

- assessments: collective-impact self-assessments and role mapping (hub/alliances/assessments/models.py)
- network: the computed network map (hub/alliances/network/models.py)

Import a model from its sub-package; the names here are kept for Django (the app label is
`alliances`) and for the migrations.
"""

# The sub-packages' models (assessments, network), imported here so Django finds them.
from hub.alliances.assessments.models import Assessment, Evidence, Score  # noqa: F401
from hub.alliances.network.models import NetworkNode, NetworkSnapshot  # noqa: F401
