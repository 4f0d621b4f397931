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
        self._wire_dialogues()

    def _wire_dialogues(self):
        """The monthly dialogue with every city: its menu item, dashboard card, section of
        the city page (its dialogues are there, not on the timeline: each timeline source
        costs the page a subquery), audit sentences and demo rows."""
        from alliance import demo, navigation, panels

        from . import audit_labels, extensions
        from .demo_dialogues import seed
        from .views import dialogues

        navigation.add_region_items(navigation.NavItem(
            _("Dialogues"), "dialogue-coverage", dialogues.VIEW, "chat-dots",
            unless="events.view",
            area=("dialogue-list", "dialogue-create", "dialogue-detail", "dialogue-edit")))
        panels.register(panels.Panel(action=dialogues.VIEW,
                                     template="cities/_dialogue_panel.html",
                                     context=dialogues.dashboard_panel,
                                     name="dialogues", title=_("Dialogues this month")))
        extensions.add_section(extensions.CitySection(
            action=dialogues.VIEW, template="cities/_dialogue_city_section.html",
            context=dialogues.city_section, limit=5))
        # A duplicate merged into a city brings its dialogues along (not deleted with it).
        extensions.add_merge_step(
            lambda *, keep, duplicate: duplicate.dialogues.update(city=keep))
        audit_labels.register_dialogues()
        demo.add_seeder(seed)
