"""Wiring of the events app's plans area into the core's registries: the Forum's approval of
agendas (`event_agenda`), the region menu's "Events" item, the searchable pickers of the event
and agenda forms, the audit sentences, the secretariat's dashboard card of the next events,
the delegation pages of meeting series, and the demo's events."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance import permissions
from alliance.pickers import Picker, register
from alliance.services.audit import describe_as
from alliance.wording import field_names

from ..rules import MANAGE

NEXT_EVENTS_SHOWN = 5
SERIES_SHOWN = 10


def _person(user) -> str:
    return user.full_name or user.email


def _register_pickers() -> None:
    from ..services import agendas, events, series

    staff_detail = {"detail": lambda user: user.email if user.full_name else ""}
    register(Picker("event-organizers", MANAGE, events.secretariat_users,
                    search=("full_name", "email"), label=_person, **staff_detail))
    register(Picker("event-groups", MANAGE, events.working_groups, search=("name", "theme"),
                    label=lambda group: group.name, detail=lambda group: group.theme))
    register(Picker("event-supporters", MANAGE, events.supporting_organizations,
                    search=("name", "organization"), label=lambda row: row.name,
                    detail=lambda row: row.organization))
    register(Picker("agenda-contacts", MANAGE, agendas.speaker_contacts,
                    search=("name", "city__name"), label=lambda contact: contact.name,
                    detail=lambda contact: contact.city.name))
    register(Picker("agenda-experts", MANAGE, agendas.speaker_experts,
                    search=("name", "organization"), label=lambda expert: expert.name,
                    detail=lambda expert: expert.organization))
    register(Picker("agenda-staff", MANAGE, agendas.speaker_staff,
                    search=("full_name", "email"), label=_person, **staff_detail))
    register(Picker("agenda-workplans", MANAGE, agendas.agenda_workplans,
                    search=("city__name", "model_policy__title"),
                    label=lambda plan: f"{plan.city.name} · {plan.model_policy.shown_title}",
                    detail=lambda plan: plan.status_label))
    register(Picker("series-delegates", MANAGE, series.delegate_choices,
                    search=("full_name", "email"), label=_person, **staff_detail))


def _describe() -> None:
    from alliance.services.delegations import describe_actions

    from ..models import AgendaItem, Event, MeetingSeries

    describe_actions()
    describe_as("events.event.created", _("%(actor)s planned the event “%(title)s”"))
    describe_as("events.event.changed", _("%(actor)s changed the event (%(fields)s)"),
                labels={"fields": field_names(Event)})
    describe_as("events.event.cancelled",
                _("%(actor)s cancelled the event: %(reason)s"))
    describe_as("events.event.held", _("%(actor)s marked the event as held"))
    describe_as("events.event.next_scheduled",
                _("%(actor)s scheduled the next meeting “%(title)s”"))
    describe_as("events.agenda.item_added",
                _("%(actor)s added “%(title)s” to the agenda"))
    describe_as("events.agenda.item_changed",
                _("%(actor)s changed the agenda item “%(item)s” (%(fields)s)"),
                labels={"fields": field_names(AgendaItem)})
    describe_as("events.agenda.item_deleted",
                _("%(actor)s removed “%(title)s” from the agenda"))
    describe_as("events.agenda.item_moved", _("%(actor)s moved “%(title)s” on the agenda"))
    describe_as("events.agenda.drafted", _("%(actor)s marked the agenda as drafted"))
    describe_as("events.agenda.submitted",
                _("%(actor)s submitted the agenda and speakers to the Forum"))
    describe_as("events.agenda.reopened",
                _("%(actor)s changed the agenda after it went to the Forum: it needs a new "
                  "approval"))
    describe_as("events.agenda.decided",
                _("%(actor)s decided on the agenda for the Forum: %(new)s"),
                labels={"new": _agenda_states()})
    describe_as("events.agenda.approval_outdated",
                _("%(actor)s approved an earlier version of the agenda: it must be submitted "
                  "again"))
    describe_as("events.series.created", _("%(actor)s created the meeting series “%(title)s”"))
    describe_as("events.series.changed", _("%(actor)s changed the series (%(fields)s)"),
                labels={"fields": field_names(MeetingSeries)})


def _agenda_states():
    from ..models import AgendaState

    return AgendaState


def _series_page(region, series_id: int) -> str:
    return reverse("series-detail", kwargs={"region_slug": region.slug,
                                            "series_id": series_id})


def _next_events(request) -> dict:
    """The secretariat's card: the next events, each with its next milestone."""
    from ..queries.plans import next_events
    from ..services.events import next_milestone

    now = timezone.now()
    rows = list(next_events(request.region, NEXT_EVENTS_SHOWN, now))
    return {"next_events": [(event, next_milestone(event, now)) for event in rows],
            "events_url": reverse("event-list", kwargs={"region_slug": request.region.slug})}


def _my_series(request) -> dict:
    """A member's card: the series handed to them (the secretariat reaches every series
    through the menu)."""
    from alliance.views import url_prefix

    from ..services.series import series_of_delegate

    if permissions.can(request.user, MANAGE, region=request.region):
        return {"my_series": []}
    return {"my_series": list(series_of_delegate(request.user, request.region)
                              .only("title")[:SERIES_SHOWN]),
            "series_url": url_prefix("series-detail", "series_id",
                                     region_slug=request.region.slug)}


def _menu() -> None:
    from alliance.navigation import NavItem, add_region_items

    from ..urls import urlpatterns

    feeds = ("calendar-feeds",)
    pages = tuple(p.name for p in urlpatterns if p.name and not p.name.startswith(
        ("event-pick-", "series-pick-")))
    add_region_items(NavItem(_("Events"), "event-list", "events.view", "calendar-event",
                             area=tuple(dict.fromkeys((*pages, *feeds, "event-settings")))))


def wire() -> None:
    from alliance import approvals, panels
    from alliance.demo import add_seeder
    from alliance.services.delegations import page_of

    from .. import demo_plans
    from ..models import MeetingSeries
    from ..services.agendas import AGENDA_KIND

    _register_pickers()
    _describe()
    approvals.register(AGENDA_KIND)
    panels.register(panels.Panel(action=MANAGE, template="events/_next_events_panel.html",
                                 context=_next_events, name="next-events",
                                 title=_("Next events")))
    panels.register(panels.Panel(action="alliance.view_region",
                                 template="events/_my_series_panel.html", context=_my_series))
    page_of(MeetingSeries, _series_page)
    add_seeder(demo_plans.seed)
    _menu()
