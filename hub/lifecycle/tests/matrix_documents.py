"""The documents pages in the permission matrix (gathered by matrix.py)."""

from django.urls import reverse

from hub.core.models import Visibility
from hub.core.testing.matrix import SIGN_IN, Case, everyone
from hub.lifecycle.documents import services
from hub.lifecycle.factories_documents import make_documented_partnership, make_template


def setup(world) -> None:
    partnership = make_documented_partnership(lead=world.affiliate, visibility=Visibility.PRIVATE)
    version = make_template(actor=world.users["staff"], organization=world.affiliate)
    world.objects["doc_partnership"] = partnership
    world.objects["doc_template"] = version.template
    world.objects["doc_version"] = version
    world.objects["document"] = services.document_generate(
        actor=world.users["staff"],
        partnership=partnership,
        template=version.template,
        format="wikitext",
    )


HIDDEN = {"anonymous": 404, "outsider": 404}
GENERATE = {"anonymous": SIGN_IN, "viewer": 403, "outsider": 404}

CASES = {
    "lifecycle:document_list": Case(
        lambda w: reverse("lifecycle:document_list", args=[w.doc_partnership.pk]),
        HIDDEN,
        default=200,
    ),
    "lifecycle:document_generate": Case(
        lambda w: reverse("lifecycle:document_generate", args=[w.doc_partnership.pk]),
        GENERATE,
        default=302,
        method="post",
        data=lambda w: {"kind": "letter_of_intent", "language": "en", "format": "wikitext"},
    ),
    "lifecycle:document_download": Case(
        lambda w: reverse("lifecycle:document_download", args=[w.document.pk]), HIDDEN, default=200
    ),
    "lifecycle:document_regenerate": Case(
        lambda w: reverse("lifecycle:document_regenerate", args=[w.document.pk]),
        HIDDEN,
        default=200,
        method="post",
    ),
    "lifecycle:template_list": Case(lambda w: reverse("lifecycle:template_list"), everyone(200)),
    "lifecycle:template_upload": Case(
        lambda w: reverse("lifecycle:template_upload"),
        {"anonymous": SIGN_IN, "viewer": 403, "editor": 403},
        default=200,
    ),
    "lifecycle:template_detail": Case(
        lambda w: reverse("lifecycle:template_detail", args=[w.doc_template.pk]),
        HIDDEN,
        default=200,
    ),
    "lifecycle:template_history": Case(
        lambda w: reverse("lifecycle:template_history", args=[w.doc_template.pk]),
        HIDDEN,
        default=200,
    ),
    "lifecycle:template_version_download": Case(
        lambda w: reverse("lifecycle:template_version_download", args=[w.doc_version.pk]),
        HIDDEN,
        default=200,
    ),
}

# The API's operations (session clients), merged into hub/api/tests/matrix.py's CASES, which the
# API's own tests read; the objects are this module's setup()'s.
API_CASES = {
    "api:document_template_list": Case(
        lambda w: reverse("api:document_template_list"), everyone(200)
    ),
    "api:document_generate": Case(
        lambda w: reverse("api:document_generate", args=[w.doc_partnership.pk]),
        {"anonymous": 401, "viewer": 403, "outsider": 404},
        default=201,
        method="post",
        data=lambda w: {"kind": "letter_of_intent", "language": "en", "format": "wikitext"},
        content_type="application/json",
    ),
    "api:document_list": Case(
        lambda w: reverse("api:document_list", args=[w.doc_partnership.pk]), HIDDEN, default=200
    ),
    "api:document_detail": Case(
        lambda w: reverse("api:document_detail", args=[w.document.pk]), HIDDEN, default=200
    ),
    "api:document_file": Case(
        lambda w: reverse("api:document_file", args=[w.document.pk]), HIDDEN, default=200
    ),
}
