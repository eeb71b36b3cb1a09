"""A document made in the background for one person: a big list's spreadsheet, the tracker's PDF
for the monthly meeting, kept for them to download for DOCUMENTS_KEEP_DAYS days.

Imported by qa_portal/models.py, so Django finds it as a model of the qa_portal app."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qa_portal import tags


class DocumentStatus(models.TextChoices):
    # The same words, colours and meanings as a committee pack version's (reporting.PackStatus).
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


tags.register(
    "document_status",
    DocumentStatus,
    colours={
        DocumentStatus.QUEUED: "grey",
        DocumentStatus.RUNNING: "blue",
        DocumentStatus.DONE: "green",
        DocumentStatus.FAILED: "red",
    },
)

UNFINISHED = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
# A document still queued this long is offered a "Try again" (the worker may be down).
WAITING_TOO_LONG_AFTER = timedelta(minutes=1)


class DocumentQuerySet(models.QuerySet):
    def kept(self):
        """Those not yet past their time: an expired one is never handed out, even before it is deleted."""
        return self.filter(expires_at__gt=timezone.now())

    def without_content(self):
        """Everything but the file itself, which may run to megabytes."""
        return self.defer("content")


class Document(models.Model):
    """One document asked for by one person: which kind (qa_portal.documents.kinds), with what
    filters, how far the worker has got, and, once made, the file.

    The file is stored in the database, as a committee pack's is: the worker that makes it and
    the web server that hands it out may be different machines. Only the person who asked for it
    may see or download it, and only while they still hold the permission its kind needs."""

    kind = models.CharField(max_length=100, help_text="The registered kind of document, such as recommendation-tracker")
    format = models.CharField(max_length=10, help_text="pdf, csv or xlsx")
    title = models.CharField(max_length=300, help_text="What it is, in words, filters included")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents")
    parameters = models.JSONField(default=dict, blank=True, help_text="What the kind needs to make it: the filters")
    # The same person asking again for the same document while it is being made gets that one.
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the kind, format and parameters")
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="How many rows it holds, as counted when asked")
    status = models.CharField(max_length=20, choices=DocumentStatus, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was last handed to the broker: the catch-up hands one still queued a while later to
    # the broker again (the broker was down, or lost its queue).
    queued_at = models.DateTimeField(default=timezone.now)
    # Each time a worker takes it: a worker that dies while making it leaves it "being made", and
    # the catch-up queues it again, up to documents.making.MAX_ATTEMPTS times.
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, help_text="The worker making it (its Celery node name)")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life from the worker making it")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(help_text="When it is deleted: DOCUMENTS_KEEP_DAYS after it was made")
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(null=True, blank=True)
    # Whose personal data the file holds (qa_portal.access_log.Subjects), recorded in the access log
    # each time it is downloaded: making it records nothing.
    subjects = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "fingerprint"],
                condition=Q(status__in=["queued", "running"]),
                name="document_made_once_at_a_time",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_progress_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "queued_at"], name="document_waiting"),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self):
        return f"{self.title} for {self.requested_by_id} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("document_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def waiting_too_long(self) -> bool:
        """Still queued a minute after it was handed to the worker, or never handed over (the broker
        was down): its page offers to try again."""
        return self.status == DocumentStatus.QUEUED and (
            self.queued_at < timezone.now() - WAITING_TOO_LONG_AFTER or self.progress_message.startswith("Waiting")
        )

    @property
    def format_label(self) -> str:
        return {"pdf": "PDF", "csv": "CSV", "xlsx": "Excel (XLSX)"}.get(self.format, self.format.upper())
