from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"

    def ready(self):
        """Wire outreach into the core's and the cities app's registries."""
        from alliance import approvals
        from alliance.demo import add_seeder
        from alliance.navigation import NavItem, add_region_items

        from . import audit_labels, city_page
        from .demo import seed
        from .services.letters import ENGAGEMENT_CLEARANCE_KIND, LEGAL_DOCUMENT_KIND
        from .urls import urlpatterns

        # One item for the area (letters, templates, partner networks, materials: its own
        # menu, outreach/_nav.html); people who write no letters have the materials.
        pages = tuple(pattern.name for pattern in urlpatterns if pattern.name)
        add_region_items(NavItem(_("Outreach"), "letter-list", "outreach.view", "envelope",
                                 area=pages),
                         NavItem(_("Materials"), "material-list", "outreach.view_materials",
                                 "file-earmark-text", unless="outreach.view"))
        city_page.register()
        audit_labels.register()
        approvals.register(LEGAL_DOCUMENT_KIND)
        approvals.register(ENGAGEMENT_CLEARANCE_KIND)
        add_seeder(seed)
