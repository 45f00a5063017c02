"""The API and its pages in the permission matrix. Session clients: writes carry no CSRF check in
the test client, so these cases test permissions; CSRF has its own test (test_write.py)."""

from django.urls import reverse

from hub.api import services
from hub.api.tests import matrix_reconcile as _reconcile
from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.directory.factories import OrganizationFactory
from hub.directory.models import Person
from hub.funding.factories import make_contribution, make_grant, make_rate
from hub.lifecycle.factories_agreements import make_agreement
from hub.lifecycle.tests import matrix_documents as _documents
from hub.partnerships.factories import make_partnership

JSON = "application/json"


def setup(world):
    _reconcile.setup(world)
    museum = OrganizationFactory(name="API Museum", wikidata_id="Q42")
    world.objects["api_private"] = make_partnership(
        lead=world.affiliate, partners=[museum], title="API private", visibility="private"
    )
    world.objects["api_person"] = Person.objects.create(
        organization=museum, steward=world.affiliate, name="API Contact", consent_note="Yes"
    )
    world.objects["api_contribution"] = make_contribution(
        receiving_organization=world.affiliate, donor_organization=museum, confidential=True
    )
    world.objects["api_grant"] = make_grant(recipient=world.affiliate, confidential=True)
    world.objects["api_rate"] = make_rate(
        organization=world.affiliate, category="catering", unit="persons"
    )
    token, _secret = services.apitoken_create(
        actor=world.users["editor"], name="matrix", scope="write"
    )
    world.objects["api_token"] = token
    world.objects["api_agreement"] = make_agreement(
        world.api_private, title="API agreement", status="signed"
    )


def _api(name, *args):
    return lambda w: reverse(f"api:{name}", args=[a(w) if callable(a) else a for a in args])


def _private(w):
    return w.api_private.pk


SEE_PRIVATE = {"anonymous": 404, "outsider": 404}
# Writes to a private partnership: without If-Match the editors get 428, after every other check.
WRITE_PRIVATE = {"anonymous": 401, "viewer": 403, "outsider": 404}

# A person's data: contacts for managers of the keeping organization (its other members get 403),
# a user's for that user (the viewer here) and staff; nobody else learns the record exists.
CONTACT_DATA = {"anonymous": 404, "viewer": 403, "editor": 403, "outsider": 404}
USER_DATA = {"anonymous": 404, "editor": 404, "manager": 404, "outsider": 404}

CASES = {
    "api:api-root": Case(lambda w: reverse("api:api-root"), everyone(404)),
    "api:openapi-json": Case(lambda w: reverse("api:openapi-json"), everyone(200)),
    "api:openapi-view": Case(lambda w: reverse("api:openapi-view"), everyone(200)),
    "api:organization_list": Case(_api("organization_list"), everyone(200)),
    "api:organization_detail": Case(
        _api("organization_detail", lambda w: w.affiliate.pk), everyone(200)
    ),
    "api:alliance_list": Case(_api("alliance_list"), everyone(200)),
    "api:alliance_detail": Case(_api("alliance_detail", lambda w: w.alliance.pk), everyone(200)),
    "api:person_list": Case(_api("person_list"), everyone(200)),
    "api:person_detail": Case(
        _api("person_detail", lambda w: w.api_person.pk),
        {"anonymous": 404, "outsider": 404},
        default=200,
    ),
    "api:partnership_list": Case(_api("partnership_list"), everyone(200)),
    "api:partnership_detail": Case(_api("partnership_detail", _private), SEE_PRIVATE, default=200),
    # The outsider edits for their own affiliate: a lead they do not edit for is a field error.
    "api:partnership_create": Case(
        _api("partnership_create"),
        {"anonymous": 401, "viewer": 403, "outsider": 422},
        default=201,
        method="post",
        data=lambda w: {
            "title": "Made in the matrix",
            "lead": w.affiliate.pk,
            "participants": [{"organization": w.museum.pk}],
            "goals": ["content"],
        },
        content_type=JSON,
    ),
    "api:partnership_update": Case(
        _api("partnership_update", _private),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"title": "Changed"},
        content_type=JSON,
    ),
    "api:partnership_end": Case(
        _api("partnership_end", _private),
        WRITE_PRIVATE,
        default=428,
        method="post",
        data=lambda w: {"status": "completed"},
        content_type=JSON,
    ),
    "api:contribution_list": Case(_api("contribution_list"), everyone(200)),
    "api:contribution_detail": Case(
        _api("contribution_detail", lambda w: w.api_contribution.pk), SEE_PRIVATE, default=200
    ),
    "api:contribution_create": Case(
        _api("contribution_create"),
        {"anonymous": 401, "viewer": 403, "outsider": 403},
        default=201,
        method="post",
        data=lambda w: {
            "receiving_organization": w.affiliate.pk,
            "donor_name": "A donor",
            "date": "2024-01-02",
            "category": "catering",
            "value": "120.00",
            "currency": "EUR",
        },
        content_type=JSON,
    ),
    "api:contribution_update": Case(
        _api("contribution_update", lambda w: w.api_contribution.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"description": "Changed"},
        content_type=JSON,
    ),
    "api:contribution_archive": Case(
        _api("contribution_archive", lambda w: w.api_contribution.pk),
        WRITE_PRIVATE,
        default=428,
        method="post",
    ),
    "api:rate_list": Case(_api("rate_list"), everyone(200)),
    "api:search": Case(lambda w: reverse("api:search") + "?q=api", everyone(200)),
    "api:rate_detail": Case(_api("rate_detail", lambda w: w.api_rate.pk), everyone(200)),
    "api:grant_list": Case(_api("grant_list"), everyone(200)),
    "api:grant_detail": Case(
        _api("grant_detail", lambda w: w.api_grant.pk), SEE_PRIVATE, default=200
    ),
    "api:grant_create": Case(
        _api("grant_create"),
        {"anonymous": 401, "viewer": 403, "outsider": 403},
        default=201,
        method="post",
        data=lambda w: {
            "title": "Matrix grant",
            "funder": w.museum.pk,
            "recipient": w.affiliate.pk,
            "amount": "1000.00",
            "currency": "EUR",
        },
        content_type=JSON,
    ),
    "api:grant_update": Case(
        _api("grant_update", lambda w: w.api_grant.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"title": "Changed"},
        content_type=JSON,
    ),
    # Steps (hub/lifecycle/tests/matrix_steps.py makes the partnerships): a private one on its
    # steps, and one not started yet.
    "api:progress_detail": Case(
        _api("progress_detail", lambda w: w.steps_partnership.pk), SEE_PRIVATE, default=200
    ),
    "api:progress_start": Case(
        _api("progress_start", lambda w: w.steps_unstarted.pk),
        WRITE_PRIVATE,
        default=201,
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),
    "api:progress_move": Case(
        _api("progress_move", lambda w: w.steps_partnership.pk),
        WRITE_PRIVATE,
        default=428,
        method="post",
        data=lambda w: {"step": w.steps_step.pk},
        content_type=JSON,
    ),
    "api:next_action_update": Case(
        _api("next_action_update", lambda w: w.steps_partnership.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"next_action": "Call"},
        content_type=JSON,
    ),
    "api:moving_on_save": Case(
        _api("moving_on_save", lambda w: w.steps_partnership.pk),
        WRITE_PRIVATE,
        default=428,
        method="put",
        data=lambda w: {"celebration": "A party"},
        content_type=JSON,
    ),
    "api:lifecycle_list": Case(_api("lifecycle_list", lambda w: w.affiliate.pk), everyone(200)),
    "api:lifecycle_detail": Case(
        _api("lifecycle_detail", lambda w: w.steps_lifecycle.pk), everyone(200)
    ),
    # Lessons and the clinic (the private records of hub/knowledge/tests/matrix.py's setup).
    "api:lesson_list": Case(_api("lesson_list"), everyone(200)),
    "api:lesson_detail": Case(
        _api("lesson_detail", lambda w: w.knowledge_lesson.pk), SEE_PRIVATE, default=200
    ),
    "api:lesson_create": Case(
        _api("lesson_create"),
        {"anonymous": 401, "outsider": 403},
        default=201,
        method="post",
        data=lambda w: {
            "title": "Matrix lesson",
            "organization": w.affiliate.pk,
            "problem": "A problem",
            "goals": ["content"],
        },
        content_type=JSON,
    ),
    "api:lesson_update": Case(
        _api("lesson_update", lambda w: w.knowledge_lesson.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"title": "Changed"},
        content_type=JSON,
    ),
    "api:endorsement_list": Case(
        _api("endorsement_list", lambda w: w.knowledge_lesson.pk), SEE_PRIVATE, default=200
    ),
    # The viewer endorsed it already: a second endorsement is a field error.
    "api:endorsement_create": Case(
        _api("endorsement_create", lambda w: w.knowledge_lesson.pk),
        {"anonymous": 401, "outsider": 404, "viewer": 422},
        default=201,
        method="post",
        data=lambda w: {"comment": "Worked"},
        content_type=JSON,
    ),
    "api:endorsement_delete": Case(
        _api("endorsement_delete", lambda w: w.knowledge_endorsement.pk),
        {"anonymous": 401, "outsider": 404, "editor": 403, "manager": 403},
        default=204,
        method="delete",
    ),
    "api:resource_list": Case(_api("resource_list"), everyone(200)),
    "api:resource_detail": Case(
        _api("resource_detail", lambda w: w.knowledge_resource.pk), SEE_PRIVATE, default=200
    ),
    "api:resource_create": Case(
        _api("resource_create"),
        {"anonymous": 401, "outsider": 403},
        default=201,
        method="post",
        data=lambda w: {
            "title": "Matrix guide",
            "kind": "guide",
            "organization": w.affiliate.pk,
            "address": "https://example.org/matrix",
            "review_by": "2030-01-01",
        },
        content_type=JSON,
    ),
    "api:resource_update": Case(
        _api("resource_update", lambda w: w.knowledge_resource.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"title": "Changed"},
        content_type=JSON,
    ),
    "api:resource_delete": Case(
        _api("resource_delete", lambda w: w.knowledge_resource.pk),
        {"anonymous": 401, "outsider": 404, "viewer": 403},
        default=204,
        method="delete",
    ),
    "api:question_list": Case(_api("question_list"), everyone(200)),
    "api:question_detail": Case(
        _api("question_detail", lambda w: w.knowledge_question.pk), SEE_PRIVATE, default=200
    ),
    "api:question_create": Case(
        _api("question_create"),
        {"anonymous": 401, "outsider": 403},
        default=201,
        method="post",
        data=lambda w: {"title": "Q", "body": "B", "organization": w.affiliate.pk},
        content_type=JSON,
    ),
    "api:answer_create": Case(
        _api("answer_create", lambda w: w.knowledge_question.pk),
        {"anonymous": 401, "outsider": 404},
        default=200,
        method="post",
        data=lambda w: {"body": "An answer"},
        content_type=JSON,
    ),
    "api:question_solve": Case(
        _api("question_solve", lambda w: w.knowledge_question.pk),
        {"anonymous": 401, "outsider": 404},
        default=200,
        method="post",
        data=lambda w: {"answer": w.knowledge_answer.pk},
        content_type=JSON,
    ),
    "apisite:tokens": Case(
        lambda w: reverse("apisite:tokens"), {"anonymous": SIGN_IN}, default=200
    ),
    "apisite:token_revoke": Case(
        lambda w: reverse("apisite:token_revoke", args=[w.api_token.pk]),
        {"anonymous": SIGN_IN, "editor": 302},
        default=404,
        method="post",
    ),
    "apisite:open_data": Case(lambda w: reverse("apisite:open_data"), everyone(200)),
    "apisite:open_data_rebuild": Case(
        lambda w: reverse("apisite:open_data_rebuild"),
        {"anonymous": SIGN_IN, "staff": 302},
        default=403,
        method="post",
    ),
    "apisite:open_data_file": Case(
        lambda w: reverse("apisite:open_data_file", args=["not-a-dump.csv"]), everyone(404)
    ),
    "apisite:docs_asset": Case(
        lambda w: reverse("apisite:docs_asset", args=["swagger-ui.css"]), everyone(200)
    ),
    "apisite:problem_type": Case(
        lambda w: reverse("apisite:problem_type", args=["validation"]), everyone(200)
    ),
    "apisite:not_found": Case(lambda w: "/api/v1/no/such/thing", everyone(404)),
    "api:person_export": Case(
        _api("person_export", lambda w: w.api_person.pk), CONTACT_DATA, default=200
    ),
    "api:person_erase": Case(
        _api("person_erase", lambda w: w.api_person.pk),
        {**CONTACT_DATA, "anonymous": 401},
        default=204,
        method="delete",
    ),
    "api:user_export": Case(
        _api("user_export", lambda w: w.users["viewer"].pk), USER_DATA, default=200
    ),
    "api:user_erase": Case(
        _api("user_erase", lambda w: w.users["viewer"].pk),
        {**USER_DATA, "anonymous": 401, "viewer": 403},
        default=204,
        method="delete",
    ),
    # Agreements (issue 16): on the private partnership, as its other records.
    "api:agreement_list": Case(_api("agreement_list", _private), SEE_PRIVATE, default=200),
    "api:partnership_warnings": Case(
        _api("partnership_warnings", _private), SEE_PRIVATE, default=200
    ),
    "api:agreement_detail": Case(
        _api("agreement_detail", lambda w: w.api_agreement.pk), SEE_PRIVATE, default=200
    ),
    "api:agreement_create": Case(
        _api("agreement_create", _private),
        {"anonymous": 401, "viewer": 403, "outsider": 404},
        default=201,
        method="post",
        data=lambda w: {"kind": "mou", "title": "Matrix agreement"},
        content_type=JSON,
    ),
    "api:agreement_update": Case(
        _api("agreement_update", lambda w: w.api_agreement.pk),
        WRITE_PRIVATE,
        default=428,
        method="patch",
        data=lambda w: {"title": "Changed"},
        content_type=JSON,
    ),
}

# Documents from templates (hub/lifecycle/tests/matrix_documents.py sets up their objects).
CASES.update(_documents.API_CASES)
# The reconciliation service (hub/api/reconcile), with its own objects.
CASES.update(_reconcile.CASES)
