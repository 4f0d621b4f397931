from django.apps import AppConfig


class CitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cities"

    def ready(self):
        from . import audit_labels, panels, signals  # noqa: F401
        from .services import contacts  # noqa: F401  (links accepted invitations to contacts)
