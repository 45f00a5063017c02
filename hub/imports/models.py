"""Models of the spreadsheet import: the column mapping an organization chose, and one import job.

Their app is `imports`; their tables keep the names they had when they were funding's
(`db_table`), so moving them between apps changed no data. Their status changes only through
hub/imports/jobs.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hub.directory.models import Organization


class ColumnMapping(models.Model):
    """The columns an organization's spreadsheets of one kind use: folded header -> field
    (imports/columns.py: ColumnSpec)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_column_mappings"
    )
    kind = models.CharField(max_length=30, default="contributions")
    mapping = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="column_mapping_kind")
        ]
        # the table it had in funding (the models moved apps without touching the data)
        db_table = "funding_columnmapping"

    def __str__(self) -> str:
        return f"{self.organization}: {len(self.mapping)} columns"


def import_upload_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.organization_id}/{filename}"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def editable_by(self, user) -> ImportJobQuerySet:
        """The jobs `user` may see and act on: those of the organizations they edit for
        (Organization.objects.editable_by; staff: all)."""
        return self.filter(organization__in=Organization.objects.editable_by(user).values("pk"))


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way in: mapped, previewed, then imported or discarded.

    The uploaded file is kept (MEDIA_ROOT/imports/) until the import is done or discarded;
    files left unconfirmed for STALE_UPLOAD_AFTER are discarded (`manage.py discard_stale_imports`).
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded: map the columns")
        PREVIEWING = "previewing", _("Checking every row")
        PREVIEWED = "previewed", _("Checked: confirm to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        DISCARDED = "discarded", _("Discarded")

    RUNNING = (Status.PREVIEWING, Status.IMPORTING)

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_jobs"
    )
    # what the rows become: a key of hub.imports.kinds.KINDS (no choices: kinds register there)
    kind = models.CharField(max_length=30, default="contributions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=import_upload_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    # the sheet of a workbook to read ("" for CSV, or to let the reader choose)
    sheet = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # the file's headers in their order: PostgreSQL's jsonb does not keep `mapping`'s key order
    headers = models.JSONField(default=list, blank=True)
    default_currency = models.CharField(max_length=3, default="EUR")
    day_first = models.BooleanField(default=True)
    # what the person chose for each uncertain match of the preview: folded name -> the
    # organization's id, or 0 for "add it to the directory" (hub/imports/records.py)
    choices = models.JSONField(default=dict, blank=True)
    # a job read from a wiki page (hub/imports/wikipages.py): the page's address at the revision
    # read, and that revision; each record it imports keeps both (ImportedRecord)
    source_url = models.URLField(max_length=500, blank=True)
    source_revision = models.PositiveBigIntegerField(null=True, blank=True)
    skip_invalid = models.BooleanField(default=False)
    estimated_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # the queued task's id (django_tasks_db), while it runs in the background
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        db_table = "funding_importjob"  # the table it had in funding

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:import_detail", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    def erase_upload(self) -> None:
        """A person's data are erased (hub.core.privacy) and this upload holds them: see
        hub.imports.jobs.job_erase_upload."""
        from hub.imports.jobs import job_erase_upload

        job_erase_upload(self)

    # The lease of a running job: its work records progress every few hundred rows and after
    # every batch it writes (well under a second apart); a job silent for this long lost its
    # worker (hub/imports/jobs.py: fail_if_stale), unless its task is still waiting in the
    # queue.
    STALE_AFTER = datetime.timedelta(minutes=2)

    # An upload nobody confirmed or discarded for this long is discarded, its file deleted.
    STALE_UPLOAD_AFTER = datetime.timedelta(days=7)
    UNFINISHED = (Status.UPLOADED, Status.PREVIEWED, Status.FAILED)


def _staged_fields() -> dict[str, models.Field]:
    """The contribution's columns, as plain columns: no constraint, index or related name.

    Copied from InKindContribution so the two tables cannot drift apart (a new field shows up in
    the next migration of both)."""
    from hub.funding.contributions.models import InKindContribution

    fields: dict[str, models.Field] = {}
    for field in InKindContribution._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            # (deconstruct() would ask the app registry, which is not ready yet)
            fields[field.name] = models.ForeignKey(
                field.remote_field.model,  # type: ignore[union-attr]
                on_delete=models.DO_NOTHING,
                null=field.null,
                blank=True,
                db_constraint=False,
                db_index=False,
                related_name="+",
            )
            continue
        name, _path, args, kwargs = field.deconstruct()
        kwargs.pop("validators", None)
        fields[name] = type(field)(*args, **kwargs)
    return fields


class StagedContribution(models.Model):
    """A row of an import on its way in (see hub/imports/stage.py): an import writes its
    rows here in short transactions, a batch at a time, and moves them into the contributions in
    one statement at the end, so nobody sees half a file and no other write waits for long."""

    # "job:<id>" for an import job, "run:<uuid>" for a script's import
    run = models.CharField(max_length=48)
    # which of the donors the import adds to the directory when it is published (their number in
    # the order they came in) the row names; the row holds the donor's name until then
    new_donor = models.PositiveIntegerField(null=True, blank=True)
    locals().update(_staged_fields())

    class Meta:
        indexes = [models.Index(fields=["run", "new_donor"], name="staged_run_donor")]
        db_table = "funding_stagedcontribution"  # the table it had in funding

    def __str__(self) -> str:
        return f"{self.run}: {self.import_key}"  # type: ignore[attr-defined]


class StagedRecord(models.Model):
    """A checked row of a partnerships, organizations or grants import on its way in
    (hub/imports/records.py): written a batch at a time in short transactions, then published
    in one, so nobody sees half a file. `data` holds the row's fields as JSON (organizations by
    id, or "new:<n>" for the n-th organization the import adds)."""

    # "job:<id>" for an import job, "run:<uuid>" for a script's import
    run = models.CharField(max_length=48)
    number = models.PositiveIntegerField()  # the row's number in the file
    key = models.CharField(max_length=80)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["run", "id"], name="staged_record_run")]

    def __str__(self) -> str:
        return f"{self.run}: row {self.number}"


class ImportedRecord(models.Model):
    """Where an imported partnership, organization or grant came from, and the key that makes a
    second import of the same row add nothing: one per record an import created.

    `kind` names the model (a key of hub.imports.kinds.KINDS: the record is that kind's model
    row `object_id`); `organization` is the one the import was for (keys are unique per
    organization and kind, as the in-kind import's are per receiving organization)."""

    kind = models.CharField(max_length=30)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_constraint=True
    )
    key = models.CharField(max_length=80)
    object_id = models.BigIntegerField()
    job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    # the file's name, or the wiki page's address at the revision read
    source = models.CharField(max_length=500, blank=True)
    source_revision = models.PositiveBigIntegerField(null=True, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organization", "key"], name="imported_record_key"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="imported_record_object")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} from {self.source}"
