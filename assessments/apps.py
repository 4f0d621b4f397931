from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        """Wire the assessment app into the core's and the cities app's registries."""
        from alliance.demo import add_seeder

        from .demo import seed

        add_seeder(seed)
        self._wire_menus()
        self._wire_roadmap()
        self._wire_answering()
        self._wire_campaigns()

    @staticmethod
    def _wire_menus():
        """One "Assessments" item for the secretariat and reviewers, marked on every page of
        the app (campaigns, benchmark, roadmap, settings: its own menu, assessments/_nav.html);
        people who run no campaign (city contacts, experts) have the roadmap instead."""
        from django.utils.translation import gettext_lazy as _

        from alliance.navigation import GLOBAL_ITEMS, NavItem, add_region_items

        from .urls import urlpatterns

        pages = tuple(pattern.name for pattern in urlpatterns if pattern.name)
        add_region_items(
            NavItem(_("Assessments"), "campaign-list", "assessments.view_campaigns",
                    "clipboard-check", area=pages),
            NavItem(_("Roadmap"), "roadmap", "assessments.view_roadmap", "signpost",
                    unless="assessments.view_campaigns",
                    area=("model-policy-detail", "model-policy-propose", "case-study-list",
                          "case-study-create", "case-study-detail")))
        GLOBAL_ITEMS.extend([
            NavItem(_("Roadmap"), "global:roadmap", "assessments.manage_roadmap", "signpost"),
            NavItem(_("Questionnaires"), "global:questionnaire-list",
                    "assessments.manage_questionnaires", "card-checklist"),
            NavItem(_("Benchmark"), "global:benchmark", "assessments.view_global_benchmark",
                    "bar-chart")])

    @staticmethod
    def _wire_roadmap():
        """The model_policy approval and the roadmap's and questionnaires' audit sentences."""
        from alliance import approvals

        from . import audit_labels
        from .services.roadmap import MODEL_POLICY_KIND

        approvals.register(MODEL_POLICY_KIND)
        audit_labels.register()

    @staticmethod
    def _wire_answering():
        """Answering and review: audit sentences, the city contact's dashboard panel, the
        city page's assessments section, and a colleague's grants when they accept."""
        from alliance import panels
        from alliance.signals import invitation_accepted

        from . import audit_labels_answering, city_page
        from .panels_answering import CITY_CONTACT_HOME
        from .services.assignments import invitation_accepted_receiver

        audit_labels_answering.register()
        city_page.register()
        panels.register(CITY_CONTACT_HOME)
        invitation_accepted.connect(invitation_accepted_receiver,
                                    dispatch_uid="assessments.section_assignments")

    @staticmethod
    def _wire_campaigns():
        """Campaigns: the secretariat's dashboard card and the campaigns' audit sentences."""
        from alliance import panels

        from . import audit_labels_campaigns
        from .panels import CAMPAIGN_PROGRESS

        panels.register(CAMPAIGN_PROGRESS)
        audit_labels_campaigns.register()
