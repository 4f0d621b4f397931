from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "experts"

    def ready(self):
        """Wire the experts app into the core's registries: each area (pipeline, Terms of
        Reference, working groups, stakeholders and the directory) wires its own."""
        from .wiring import groups, people, pipeline, terms

        for area in (pipeline, terms, groups, people):
            area.wire()
