"""schemathesis against the live app (WSGI, in process) on its own OpenAPI document.

Positive and negative data, all checks, and the stateful phase over the links schemathesis infers
(create -> read -> update -> end). Bounded examples so it stays well under a minute.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from hub.api.services import apitoken_create
from hub.api.tests.test_openapi import COMMITTED
from hub.directory.models import Organization, Person
from hub.partnerships.models import WikimediaProject

EXAMPLES = 6


# The committed document, which test_openapi.py proves equal to the one the app serves; calls go to
# the app itself through WSGI, inside the test's database transaction.
schema = schemathesis.openapi.from_path(str(COMMITTED))
schema.app = get_wsgi_application()
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
)
# The coverage phase enumerates every boundary of every field (thousands of calls here); fuzzing
# with positive and negative data covers the same ground within a bounded number of examples.
schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])
# Schema-valid data may still break a rule the schema cannot say (a participant listed twice, a lead
# one may not edit for, a stale If-Match): those answers are documented problems, not failures.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx",
    "401",
    "403",
    "404",
    "412",
    "422",
    "428",
    "429",
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client keeps the connection open between requests; a raw WSGI call would close
    it at the end of each request (and with it the test's transaction on PostgreSQL/MariaDB)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, registry, affiliate):
    WikimediaProject.objects.get_or_create(code="commons", defaults={"name": "Commons"})
    Person.objects.create(
        organization=affiliate, steward=affiliate, name="Contact", consent_note="Agreed"
    )
    Organization.objects.create(name="A Hub", kind="hub")


@pytest.fixture
def auth_headers(editor, world):
    _token, secret = apitoken_create(actor=editor, name="schemathesis", scope="write")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_document(case, auth_headers):
    response = case.call_and_validate(headers=auth_headers)
    assert b"Traceback" not in response.content
    assert response.status_code < 500


def test_stateful_links(auth_headers):
    machine = schema.as_state_machine()

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"headers": auth_headers}

    Machine.run(
        settings=settings(
            max_examples=5,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
