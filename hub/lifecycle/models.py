"""The lifecycle app's models, one sub-package per sub-domain (C4, C5); Django finds them here.

- steps: Lifecycle, Step, StepLink, PartnershipProgress, StepVisit, MovingOn (hub/lifecycle/steps/models.py)
- agreements: Agreement, AgreementParty, AgreementFile, ChecklistItem (hub/lifecycle/agreements/models.py)
- documents: DocumentTemplate, TemplateVersion, GeneratedDocument (hub/lifecycle/documents/models.py)

Import a model from its sub-package; the names here are kept for Django (the app label is
`lifecycle`) and for the migrations.
"""

from hub.lifecycle.agreements.models import (  # noqa: F401
    Agreement,
    AgreementFile,
    AgreementParty,
    ChecklistItem,
    agreement_file_path,
)
from hub.lifecycle.documents.models import (  # noqa: F401
    DocumentTemplate,
    GeneratedDocument,
    TemplateVersion,
    generated_document_path,
    template_version_path,
)
from hub.lifecycle.steps.models import (  # noqa: F401
    Lifecycle,
    MovingOn,
    PartnershipProgress,
    Step,
    StepLink,
    StepVisit,
)
