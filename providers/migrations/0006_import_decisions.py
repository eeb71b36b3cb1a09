"""An import remembers what the person answered to its preview's questions (near-matching organisations,
conflicting judgements, warnings acknowledged)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0005_inspection_event_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="decisions",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
