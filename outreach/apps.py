from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outreach"

    def ready(self):
        from alliance.navigation import REGION_ITEMS, NavItem

        from . import audit_labels  # noqa: F401
        from .services import letters  # noqa: F401  (registers legal_document, engagement_clearance)

        REGION_ITEMS.extend([NavItem(_("Letters"), "letter-list", "outreach.view"),
                             NavItem(_("Materials"), "material-list", "outreach.view_materials")])
