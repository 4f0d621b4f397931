"""Wiring of the compliance check (a regular meeting a quarter, an annual event a year): its
card on the region dashboard."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance import permissions
from alliance.panels import Panel, register


def _panel(request) -> dict:
    from .. import compliance

    region = request.region
    may_plan = permissions.can(request.user, "events.manage", region=region)
    items = []
    for requirement in compliance.requirements(region, timezone.localdate()):
        items.append({"requirement": requirement,
                      "event_url": compliance.event_url(region, requirement.event_id),
                      "plan_url": compliance.plan_url(region, requirement.kind)
                      if may_plan else ""})
    return {"items": items}


def wire() -> None:
    register(Panel(action="events.view", template="events/_compliance_panel.html",
                   context=_panel, name="playbook-minimum", title=_("Playbook minimum")))
