from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cities", "0005_city_priority"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["city", "region", "name"], name="contact_city_name"),
        ),
    ]
