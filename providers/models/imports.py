"""The record of each file uploaded for import (providers.importers)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from qa_portal import tags


class ImportKind(models.TextChoices):
    OFSTED = "ofsted", "Ofsted provider-level data"
    PLACEMENTS = "placements", "Placements from the case-record system"


class ImportJob(models.TextChoices):
    """What the worker is asked to do with a big file (providers.importers.runs)."""

    PREVIEW = "preview", "Checking the file"
    APPLY = "apply", "Importing the file"


class ImportRunStatus(models.TextChoices):
    """Where a big file's job in the worker has got to. READY: no job waiting or running (a small
    file's always is: it is checked and imported while the person waits)."""

    READY = "ready", "Ready"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being worked on"
    FAILED = "failed", "Failed"


# Whether an uploaded file has been imported or only previewed.
tags.register(
    "import_run",
    colours={"imported": "green", "preview": "grey"},
    labels={"imported": "Imported", "preview": "Preview only"},
)


class ImportRun(models.Model):
    """An uploaded file: previewed (dry run) first, then applied once. Kept as the record of
    what was imported, by whom and with what result."""

    kind = models.CharField(max_length=20, choices=ImportKind)
    filename = models.CharField(max_length=255)
    content = models.TextField(help_text="The file's text, decoded")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    preview = models.JSONField(default=dict, blank=True)
    # What the person answered to the preview's questions, read by the importer on the next preview
    # and on the import: {"matches": {organisation: provider pk or "skip"}, "conflicts": {line: "ours"
    # or "file"}, "acknowledged": [warning kind, …]} (see providers.importers.ofsted).
    decisions = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A big file (more than IMPORT_ROWS_IN_REQUEST data rows) is checked and imported by the worker,
    # with its progress shown on the run's page (providers.importers.runs); the fields below are the
    # ones every background build has (qa_portal.documents.making).
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Data rows in the file, counted on upload")
    status = models.CharField(max_length=20, choices=ImportRunStatus, default=ImportRunStatus.READY)
    job = models.CharField(max_length=20, choices=ImportJob, blank=True)
    job_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    job_outcome = models.CharField(max_length=1000, blank=True, help_text="What the last job in the worker said")
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"], name="import_run_waiting")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def in_the_worker(self) -> bool:
        """Whether a job on it is waiting for the worker or being done by it."""
        return self.status in (ImportRunStatus.QUEUED, ImportRunStatus.RUNNING)
