"""Two case-record IDs that differ only by leading zeros (Excel drops them) are one young person:
the database refuses a second. A register that already holds such a pair stops the migration,
naming the pair, so that someone merges them first rather than the index failing unexplained."""

from django.db import migrations, models


def refuse_pairs_differing_by_leading_zeros(apps, schema_editor):
    YoungPerson = apps.get_model("providers", "YoungPerson")
    seen: dict[str, str] = {}
    pairs = []
    for case_record_id in YoungPerson.objects.order_by("case_record_id").values_list("case_record_id", flat=True):
        key = case_record_id.strip().lstrip("0")
        if key in seen:
            pairs.append(f"{seen[key]} and {case_record_id}")
        seen.setdefault(key, case_record_id)
    if pairs:
        raise RuntimeError(
            "These young people's case-record IDs differ only by leading zeros, so they are one young person "
            f"recorded twice: {'; '.join(pairs)}. Move the placements to one record, delete the other, and migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0006_import_decisions"),
    ]

    operations = [
        migrations.RunPython(refuse_pairs_differing_by_leading_zeros, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="youngperson",
            constraint=models.UniqueConstraint(
                models.Func(models.F("case_record_id"), models.Value("0"), function="LTRIM"),
                name="young_person_case_record_key",
                violation_error_message="A young person with this case-record ID is already recorded (leading "
                "zeros do not make a different ID)",
            ),
        ),
    ]
