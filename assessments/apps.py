from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        """Wire the assessment app into the core's and the cities app's registries."""
        from alliance.demo import add_seeder

        from .demo import seed

        add_seeder(seed)
        self._wire_answering()

    @staticmethod
    def _wire_answering():
        """Answering and review: audit sentences, the city contact's dashboard panel, the
        city page's assessments section, and a colleague's grants when they accept."""
        from alliance.signals import invitation_accepted

        from . import audit_labels_answering
        from .services.assignments import invitation_accepted_receiver

        audit_labels_answering.register()
        invitation_accepted.connect(invitation_accepted_receiver,
                                    dispatch_uid="assessments.section_assignments")
