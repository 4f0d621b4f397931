from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"

    def ready(self):
        """Wire outreach into the core's and the cities app's registries."""
        from alliance.demo import add_seeder
        from alliance.navigation import NavItem, add_region_items

        from . import audit_labels, city_page  # noqa: F401
        from .demo import seed
        # Registers the approval kinds legal_document and engagement_clearance.
        from .services import letters  # noqa: F401

        add_region_items(NavItem(_("Letters"), "letter-list", "outreach.view"),
                         NavItem(_("Partners"), "partner-list", "outreach.view"),
                         NavItem(_("Materials"), "material-list", "outreach.view_materials"))
        city_page.register()
        add_seeder(seed)
