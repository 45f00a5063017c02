"""Permission-matrix cases of the import pages (matrix.py adds them to its CASES)."""

from django.urls import reverse

from hub.core.testing.matrix import SIGN_IN, Case

PREVIEW = {
    "rows": 1,
    "valid_rows": 1,
    "invalid_count": 0,
    "problem_count": 0,
    "problems": [],
    "fatal": [],
    "new_donors": [],
    "sample": [],
    "skipped_totals": [],
    "header_row": 1,
    "already_imported": 0,
}


def setup(world):
    from hub.imports.models import ImportJob

    world.objects["import_job"] = ImportJob.objects.create(
        organization=world.affiliate,
        original_name="sheet.csv",
        status=ImportJob.Status.PREVIEWED,
        mapping={"Spender": "donor", "Datum": "date", "Kategorie": "category", "Wert": "value"},
        preview=PREVIEW,
    )


def _job(name):
    return lambda w: reverse(name, args=[w.import_job.pk])


# Jobs belong to the editors of their organization: viewers and outsiders get 404.
JOB = {"anonymous": SIGN_IN, "viewer": 404, "outsider": 404}

CASES = {
    "imports:import_upload": Case(
        lambda w: reverse("imports:import_upload"),
        {"anonymous": SIGN_IN, "viewer": 403},
        default=200,
    ),
    "imports:import_kind_upload": Case(
        lambda w: reverse("imports:import_kind_upload", args=["partnerships"]),
        {"anonymous": SIGN_IN, "viewer": 403},
        default=200,
    ),
    # the choices for uncertain matches: the job is checked again (its file is gone: failed)
    "imports:import_matches": Case(_job("imports:import_matches"), JOB, default=302, method="post"),
    # the same people as the upload: whoever edits for an organization (for their own)
    "imports:import_wiki": Case(
        lambda w: reverse("imports:import_wiki"),
        {"anonymous": SIGN_IN, "viewer": 403},
        default=200,
    ),
    "imports:import_detail": Case(_job("imports:import_detail"), JOB, default=200),
    "imports:import_mapping": Case(_job("imports:import_mapping"), JOB, default=200),
    "imports:import_progress": Case(_job("imports:import_progress"), JOB, default=200),
    # the job's file is gone, so confirming ends in a "failed" job and a redirect to it
    "imports:import_confirm": Case(_job("imports:import_confirm"), JOB, default=302, method="post"),
    "imports:import_discard": Case(_job("imports:import_discard"), JOB, default=302, method="post"),
}
