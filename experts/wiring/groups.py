"""Wiring of the working groups and the Senior Advisory Board into the core's registries
(called from apps.py): their searchable pickers, and the audit sentences of their actions
and of the delegations a group's lead holds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.pickers import Picker, register
from alliance.services.audit import describe_as
from alliance.services.delegations import describe_actions
from alliance.wording import field_names


def _person(user) -> str:
    return user.full_name or user.email


def _contacts(region):
    from cities.models import Contact

    return Contact.objects.filter(region=region).select_related("city").order_by("name", "pk")


def _register_pickers() -> None:
    from ..services.groups import MANAGE, lead_choices, member_experts

    register(Picker("group-leads", MANAGE, lead_choices, search=("full_name", "email"),
                    label=_person, detail=lambda user: user.email if user.full_name else ""))
    register(Picker("group-experts", MANAGE, member_experts, search=("name", "organization"),
                    detail=lambda expert: expert.organization))
    register(Picker("group-contacts", MANAGE, _contacts, search=("name", "city__name"),
                    label=lambda contact: contact.name,
                    detail=lambda contact: contact.city.name))


def _describe() -> None:
    from ..models import AdvisorCandidate, GroupSession, WorkingGroup

    describe_actions()
    describe_as("experts.group.created", _("%(actor)s created the working group “%(name)s”"))
    describe_as("experts.group.changed", _("%(actor)s changed the group (%(fields)s)"),
                labels={"fields": field_names(WorkingGroup)})
    describe_as("experts.group.lead_set", _("%(actor)s made %(new)s the group's lead"))
    describe_as("experts.group.lead_removed", _("%(actor)s left the group without a lead"))
    describe_as("experts.group.member_added", _("%(actor)s added %(name)s to the group"))
    describe_as("experts.group.member_removed", _("%(actor)s removed %(name)s from the group"))
    describe_as("experts.group.session_added", _("%(actor)s planned the session “%(title)s”"))
    describe_as("experts.group.session_changed",
                _("%(actor)s changed the session “%(session)s” (%(fields)s)"),
                labels={"fields": field_names(GroupSession)})
    describe_as("experts.group.session_deleted",
                _("%(actor)s deleted the session “%(title)s”"))
    describe_as("experts.advisor.added",
                _("%(actor)s added %(name)s as a candidate for the advisory board"))
    describe_as("experts.advisor.changed", _("%(actor)s changed the candidate (%(fields)s)"),
                labels={"fields": field_names(AdvisorCandidate)})


def _group_page(region, working_group_id: int) -> str:
    return reverse("group-detail", kwargs={"region_slug": region.slug,
                                           "working_group_id": working_group_id})


def wire() -> None:
    from alliance.demo import add_seeder
    from alliance.services.delegations import page_of

    from .. import demo_groups
    from ..models import WorkingGroup

    _register_pickers()
    _describe()
    add_seeder(demo_groups.seed)
    page_of(WorkingGroup, _group_page)
