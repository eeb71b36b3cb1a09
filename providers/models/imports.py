"""The record of each file uploaded for import (providers.importers)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from qa_portal import tags


class ImportKind(models.TextChoices):
    OFSTED = "ofsted", "Ofsted provider-level data"
    PLACEMENTS = "placements", "Placements from the case-record system"


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

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"
