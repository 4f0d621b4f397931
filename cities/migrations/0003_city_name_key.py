from django.db import migrations, models

from cities.names import name_key


def fill_name_keys(apps, schema_editor):
    City = apps.get_model("cities", "City")
    cities = list(City._base_manager.only("pk", "name"))
    for city in cities:
        city.name_key = name_key(city.name)
    City._base_manager.bulk_update(cities, ["name_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("cities", "0002_portuguese_among_contact_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="city",
            index=models.Index(fields=["region", "name_key"], name="city_name_key"),
        ),
    ]
