from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        """Wire the assessment app into the core's and the cities app's registries."""
        from alliance.demo import add_seeder

        from .demo import seed

        add_seeder(seed)
