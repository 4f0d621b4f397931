from django.apps import AppConfig


class AllianceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alliance"
    verbose_name = "Alliance"

    def ready(self):
        from .validators import refuse_control_characters_everywhere

        refuse_control_characters_everywhere()
        from . import checks, signals

        checks.register()
        signals.connect(self)
        from . import audit_labels  # noqa: F401
        # Approval kinds register themselves when their services load.
        from .services import invitations  # noqa: F401
