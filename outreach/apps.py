from django.apps import AppConfig


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"

    def ready(self):
        from . import audit_labels  # noqa: F401
        # Registers the approval kinds legal_document and engagement_clearance.
        from .services import letters  # noqa: F401
