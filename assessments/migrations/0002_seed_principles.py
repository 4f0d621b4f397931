"""The five principles of the Policy Roadmap (playbook 1-4), in the playbook's order."""

from django.db import migrations

KEYS = ["privacy", "interoperability", "sustainability", "security", "equity"]


def seed(apps, schema_editor):
    Principle = apps.get_model("assessments", "Principle")
    for position, key in enumerate(KEYS, start=1):
        Principle.objects.update_or_create(key=key, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
