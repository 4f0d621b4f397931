"""Wiring of the events app's attendance area into the core's registries: the announcement
on the Forum's approval (events.signals.agenda_approved), the pickers of the invitation and
action forms, the audit sentences, the region menu's "My events" item, the dashboard card
"Your next events", and the demo's invitations and answers."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance import permissions
from alliance.pickers import Picker, register
from alliance.services.audit import describe_as

from ..rules import MANAGE

PANEL_INVITATIONS = 3
PANEL_ACTIONS = 5


def _person(user) -> str:
    return user.full_name or user.email


def _register_pickers() -> None:
    from ..services import invitations, minutes

    register(Picker("invitee-cities", MANAGE, invitations.city_choices,
                    search=("name", "local_name"), label=lambda city: city.name,
                    detail=lambda city: f"{city.tier_label} · {city.stage_label}"))
    register(Picker("invitee-experts", MANAGE, invitations.expert_choices,
                    search=("name", "organization"), label=lambda expert: expert.name,
                    detail=lambda expert: expert.organization))
    register(Picker("action-item-owners", MANAGE, minutes.owner_choices,
                    search=("full_name", "email"), label=_person,
                    detail=lambda user: user.email if user.full_name else ""))


def _kinds(values) -> str:
    from ..services.settings import kind_labels

    return kind_labels(values.get("new") or []) or str(_("no event"))


def _answers():
    from ..models import Response

    return Response


def _invited_as():
    from ..models import InvitedAs

    return InvitedAs


def _describe() -> None:
    from alliance.wording import field_names

    from ..models import ActionItem

    describe_as("events.invitations.added",
                _("%(actor)s invited %(count)s (%(how)s): %(names)s"),
                labels={"how": _invited_as()})
    describe_as("events.invitation.removed", _("%(actor)s removed the invitation of %(name)s"))
    describe_as("events.event.announced",
                _("%(actor)s announced the event: the invitees were told"))
    describe_as("events.invitation.responded",
                _("%(actor)s answered for %(name)s: %(new)s"), labels={"new": _answers()})
    describe_as("events.attendance.recorded",
                _("%(actor)s recorded attendance (%(count)s invitations changed)"))
    describe_as("events.minutes.recorded", _("%(actor)s saved the minutes"))
    describe_as("events.action_item.added", _("%(actor)s added the action “%(title)s”"))
    describe_as("events.action_item.changed",
                _("%(actor)s changed the action “%(item)s” (%(fields)s)"),
                labels={"fields": field_names(ActionItem)})
    describe_as("events.action_item.done", _("%(actor)s marked the action “%(title)s” done"))
    describe_as("events.action_item.reopened",
                _("%(actor)s opened the action “%(title)s” again"))
    describe_as("events.action_item.deleted", _("%(actor)s deleted the action “%(title)s”"))
    describe_as("events.settings.observer_kinds_changed",
                _("%(actor)s chose the events observer cities are invited to: %(new)s"),
                labels={"new": _kinds})
    describe_as("events.feed.rotated", _("%(actor)s rotated their calendar feed's address"))


def _next_events(request) -> dict:
    """The card "Your next events": a city contact's or expert's next invitations, and
    the open actions anyone owns."""
    from alliance.labels import labels_of

    from ..models import Response
    from ..queries import attendance as queries
    from ..services.invitations import VIEW_OWN

    region = request.region
    show_events = permissions.can(request.user, VIEW_OWN, region=region)
    invitations = (list(queries.my_invitations(request.user, region, past=False,
                                               limit=PANEL_INVITATIONS))
                   if show_events else [])
    answers = labels_of(Response)
    for row in invitations:
        row["response_label"] = answers.get(row["response"], "")
    return {"show_events": show_events, "invitations": invitations,
            "actions": queries.open_actions(request.user, region, PANEL_ACTIONS),
            "today": timezone.localdate(),
            "my_events_url": reverse("my-events", kwargs={"region_slug": region.slug})
            if show_events else ""}


def _menu() -> None:
    from alliance.navigation import NavItem, add_region_items

    add_region_items(NavItem(_("My events"), "my-events", "events.view_own", "calendar-event",
                             unless="events.view", area=("rsvp",)))


def wire() -> None:
    from alliance import panels
    from alliance.demo import add_seeder

    from .. import demo_attendance
    from ..services.invitations import on_agenda_approved
    from ..signals import agenda_approved

    _register_pickers()
    _describe()
    agenda_approved.connect(on_agenda_approved, dispatch_uid="events-announce-on-approval")
    panels.register(panels.Panel(action="alliance.view_region",
                                 template="events/_my_events_panel.html",
                                 context=_next_events))
    add_seeder(demo_attendance.seed)
    _menu()
