from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "experts"

    def ready(self):
        """Wire the experts app into the core's registries: each area (pipeline, Terms of
        Reference, working groups, stakeholders and the directory) wires its own."""
        from .wiring import groups, people, pipeline, terms

        for area in (pipeline, terms, groups, people):
            area.wire()
        self._wire_menus()

    @staticmethod
    def _wire_menus():
        """One "Experts" item for the secretariat and reviewers, marked on every page of the
        app but an expert's own (the area has its own menu, experts/_nav.html); the directory
        for the people who read no pipeline (city contacts, experts); an expert's own pages."""
        from django.utils.translation import gettext_lazy as _

        from alliance.navigation import NavItem, add_region_items

        from .urls import urlpatterns

        own = ("portal-home", "portal-profile", "terms-accept", "terms-acceptance-pdf")
        pages = tuple(p.name for p in urlpatterns if p.name and p.name not in own)
        add_region_items(
            NavItem(_("Experts"), "expert-list", "experts.view", "person-badge", area=pages),
            NavItem(_("Experts directory"), "directory", "experts.view_directory", "people",
                    unless="experts.view", area=("directory", "directory-detail")),
            NavItem(_("My expert pages"), "portal-home", "experts.own_record", "person-check",
                    area=own))
