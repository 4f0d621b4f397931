from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"

    def ready(self):
        """Wire the events app into the core's registries: each area (plans and agendas,
        invitations and attendance, implementation support, compliance) wires its own,
        menus included."""
        from .wiring import attendance, compliance, plans, support

        for area in (plans, attendance, support, compliance):
            area.wire()
