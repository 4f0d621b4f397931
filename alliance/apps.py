from django.apps import AppConfig


class AllianceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alliance"
    verbose_name = "Alliance"

    def ready(self):
        """Wire the core's own checks, receivers, validators, audit sentences and approval kind;
        the apps register theirs from their own ready()."""
        from . import approvals, audit_labels, checks, signals
        from .services.invitations import REVIEWER_APPROVAL_KIND
        from .validators import refuse_control_characters_everywhere

        checks.register()
        signals.connect(self)
        refuse_control_characters_everywhere()
        audit_labels.register()
        approvals.register(REVIEWER_APPROVAL_KIND)
