import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("alliance", "0003_approval_one_pending_and_email_notifications"),
        ("cities", "0003_city_name_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedView",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("query", models.CharField(blank=True, max_length=1000, verbose_name="filters")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("region", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="alliance.region")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["name"],
                "constraints": [models.UniqueConstraint(fields=("region", "user", "name"),
                                                        name="saved_view_unique")],
            },
        ),
    ]
