from django.db import migrations, models
from django.db.models import OuterRef

from cities.services.scoring import weighted_priority


def fill_priorities(apps, schema_editor):
    City = apps.get_model("cities", "City")
    CriterionScore = apps.get_model("cities", "CriterionScore")
    City._base_manager.update(priority=weighted_priority(
        CriterionScore._base_manager.filter(city=OuterRef("pk"))))


class Migration(migrations.Migration):

    dependencies = [
        ("cities", "0004_savedview"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="priority",
            field=models.FloatField(blank=True, editable=False, null=True,
                                    verbose_name="Priority"),
        ),
        migrations.RunPython(fill_priorities, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="city",
            index=models.Index(fields=["region", "priority"], name="city_region_priority"),
        ),
        migrations.AddIndex(
            model_name="city",
            index=models.Index(fields=["region", "stage", "priority"],
                               name="city_stage_priority"),
        ),
    ]
