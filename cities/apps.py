from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cities"

    def ready(self):
        """Wire the cities app into the core's registries (the core never imports cities)."""
        from alliance import demo, navigation, panels

        from . import audit_labels, pickers, signals  # noqa: F401  (signals connect on import)
        from .demo import seed
        from .panels import OVERVIEW_COLUMNS, OWN_CITY, PREPARATION

        navigation.add_region_items(
            navigation.NavItem(_("Cities"), "city-list", "cities.view", "buildings"))
        panels.register(PREPARATION)
        panels.register(OWN_CITY)
        panels.add_overview_columns(*OVERVIEW_COLUMNS)
        audit_labels.register()
        demo.add_seeder(seed)
        pickers.register_all()
