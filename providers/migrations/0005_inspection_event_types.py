"""Inspections get an event type from a fixed list (full inspection, monitoring visit, assurance visit,
interim or other), so that the in-year file's several events for one setting are each recorded and only
full inspections decide the current judgement. The free text held so far is read as Ofsted's words."""

from django.db import migrations, models

CHOICES = [
    ("full", "Full inspection"),
    ("monitoring", "Monitoring visit"),
    ("assurance", "Assurance visit"),
    ("other", "Interim inspection or other visit"),
]


def event_type_for(text):
    # A copy of providers.models.event_type_for as it was when this migration was written.
    words = " ".join((text or "").lower().split())
    if not words or "full" in words or words in ("standard inspection", "inspection"):
        return "full"
    if "monitoring" in words:
        return "monitoring"
    if "assurance" in words:
        return "assurance"
    return "other"


def read_event_types(apps, schema_editor):
    for name in ("OfstedInspection", "HistoricalOfstedInspection"):
        model = apps.get_model("providers", name)
        for text in model.objects.values_list("event_type", flat=True).distinct():
            model.objects.filter(event_type=text).update(event_type=event_type_for(text))


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0004_concern_removed_in_error"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="ofstedinspection",
            name="inspection_judgement_matches_scale",
        ),
        migrations.RemoveConstraint(
            model_name="ofstedinspection",
            name="inspection_once_per_day",
        ),
        migrations.RunPython(read_event_types, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalofstedinspection",
            name="event_type",
            field=models.CharField(choices=CHOICES, default="full", max_length=20),
        ),
        migrations.AlterField(
            model_name="ofstedinspection",
            name="event_type",
            field=models.CharField(choices=CHOICES, default="full", max_length=20),
        ),
        migrations.AddConstraint(
            model_name="ofstedinspection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("sa_outcome__isnull", True),
                        ("scale", "four_point"),
                        models.Q(
                            ("judgement__isnull", False),
                            models.Q(("event_type", "full"), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    models.Q(
                        ("judgement__isnull", True),
                        ("scale", "supported_accommodation"),
                        models.Q(
                            ("sa_outcome__isnull", False),
                            models.Q(("event_type", "full"), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="inspection_judgement_matches_scale",
            ),
        ),
        migrations.AddConstraint(
            model_name="ofstedinspection",
            constraint=models.UniqueConstraint(
                fields=("provider", "setting", "inspection_date", "scale", "event_type"),
                name="inspection_event_once_per_day",
                nulls_distinct=False,
            ),
        ),
    ]
