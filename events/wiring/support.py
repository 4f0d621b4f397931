"""Wiring of implementation support into the core's registries: the Global Secretariat's
approval of a support activity of another kind (`support_activity`), the region menu's
"Implementation support" and "My workplans" items, the pickers of the workplan and activity
forms, the audit sentences, the dashboard cards (the secretariat's figures; a city contact's or
an expert's own workplans), and the demo's workplans."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.pickers import Picker, register
from alliance.services.audit import describe_as
from alliance.wording import field_names

OWN_SHOWN = 5  # workplans on a city contact's or an expert's dashboard


def _register_pickers() -> None:
    from ..services import support, workplans

    city = {"search": ("name", "local_name"), "label": lambda city: city.name,
            "detail": lambda city: city.get_stage_display()}
    register(Picker("workplan-cities", workplans.MANAGE, workplans.city_choices, **city))
    register(Picker("workplan-advisors", workplans.MANAGE, workplans.advisor_choices,
                    search=("name", "organization"), label=lambda expert: expert.name,
                    detail=lambda expert: expert.organization))
    register(Picker("support-cities", support.MANAGE, workplans.city_choices, **city))
    register(Picker("support-workplans", support.MANAGE, support.workplan_choices,
                    search=("city__name", "model_policy__title"),
                    label=lambda plan: f"{plan.city.name} · {plan.model_policy.shown_title}",
                    detail=lambda plan: plan.status_label))
    register(Picker("support-events", support.MANAGE, support.event_choices,
                    search=("title",), label=lambda event: event.title,
                    detail=lambda event: _event_day(event)))


def _event_day(event) -> str:
    from alliance.templatetags.formats import day

    return day(event.starts_at)


def _describe() -> None:
    from ..models import (
        SupportActivity,
        SupportKind,
        WorkplanMilestone,
        WorkplanTemplate,
    )

    describe_as("events.workplan_template.created",
                _("%(actor)s created the workplan template “%(title)s”"))
    describe_as("events.workplan_template.changed",
                _("%(actor)s changed the workplan template (%(fields)s)"),
                labels={"fields": field_names(WorkplanTemplate)})
    describe_as("events.workplan.created",
                _("%(actor)s started the workplan of %(city)s for “%(policy)s”"))
    describe_as("events.workplan.changed", _("%(actor)s changed the workplan (%(fields)s)"),
                labels={"fields": _workplan_fields()})
    describe_as("events.workplan.advisors_set",
                _("%(actor)s changed the workplan's advisors (added: %(added)s; removed: "
                  "%(removed)s)"))
    describe_as("events.workplan.milestone_added",
                _("%(actor)s added the milestone “%(title)s”"))
    describe_as("events.workplan.milestone_changed",
                _("%(actor)s changed the milestone “%(milestone)s” (%(fields)s)"),
                labels={"fields": field_names(WorkplanMilestone)})
    describe_as("events.workplan.milestone_deleted",
                _("%(actor)s deleted the milestone “%(title)s”"))
    describe_as("events.workplan.commented", _("%(actor)s commented: %(comment)s"))
    describe_as("events.workplan.progress_recorded",
                _("%(actor)s wrote the monthly follow-up of %(month)s"))
    describe_as("events.workplan.progress_changed",
                _("%(actor)s updated the monthly follow-up of %(month)s"))
    describe_as("events.support.created",
                _("%(actor)s added a support activity for %(city)s: %(kind)s"),
                labels={"kind": SupportKind})
    describe_as("events.support.changed",
                _("%(actor)s changed the support activity (%(fields)s)"),
                labels={"fields": field_names(SupportActivity)})
    describe_as("events.support.done", _("%(actor)s marked the support activity done"))
    describe_as("events.support.decided",
                _("%(actor)s decided on the support activity for the Global Secretariat: "
                  "%(decision)s"), labels={"decision": _approval_states()})


def _workplan_fields():
    from ..models import Workplan

    return field_names(Workplan)


def _approval_states():
    from alliance.models import ApprovalRequest

    return ApprovalRequest.State


def _region_panel(request) -> dict:
    from ..queries.support import region_figures

    slug = request.region.slug
    return {**region_figures(request.region),
            "workplan_url": reverse("workplan-list", kwargs={"region_slug": slug})
            + "workplans/",
            "list_url": reverse("workplan-list", kwargs={"region_slug": slug})}


def _own_panel(request, *, skip_if: str = "") -> dict:
    from ..queries.support import workplan_rows
    from ..services.workplans import own_workplans

    if skip_if and permissions.can(request.user, skip_if, region=request.region):
        return {"own": []}  # the other card of the two shows them
    slug = request.region.slug
    rows = list(workplan_rows(own_workplans(request.user, request.region))[:OWN_SHOWN + 1])
    return {"own": rows[:OWN_SHOWN], "more": len(rows) > OWN_SHOWN,
            "workplan_url": reverse("workplan-list", kwargs={"region_slug": slug})
            + "workplans/",
            "own_url": reverse("own-workplans", kwargs={"region_slug": slug})}


def _move_with_city(*, keep, duplicate) -> None:
    """A duplicate merged into a city brings its workplans and support activities along; a
    workplan for a model policy the kept city has one for already refuses the merge (the
    secretariat decides which plan stays)."""
    from ..models import SupportActivity, Workplan

    kept = set(Workplan.objects.filter(city=keep).values_list("model_policy_id", flat=True))
    clash = (Workplan.objects.filter(city=duplicate, model_policy_id__in=kept)
             .select_related("model_policy").first())
    if clash is not None:
        raise DomainError(gettext(
            "Both cities have a workplan for “%(policy)s”: keep one of them before merging.")
            % {"policy": clash.model_policy.shown_title}, field="duplicate")
    Workplan.objects.filter(city=duplicate).update(city=keep)
    SupportActivity.objects.filter(city=duplicate).update(city=keep)


def _menu() -> None:
    from alliance.navigation import NavItem, add_region_items

    from ..services.workplans import ADVISE, EDIT_OWN, VIEW
    from ..support_urls import urlpatterns

    pages = tuple(p.name for p in urlpatterns if p.name and p.name != "own-workplans")
    add_region_items(
        NavItem(_("Implementation support"), "workplan-list", VIEW, "clipboard-check",
                unless="events.view", area=pages),
        NavItem(_("My workplans"), "own-workplans", EDIT_OWN, "clipboard-check",
                area=("workplan-detail", "workplan-edit", "milestone-create",
                      "milestone-edit")),
        NavItem(_("My workplans"), "own-workplans", ADVISE, "clipboard-check",
                unless=EDIT_OWN, area=("workplan-detail",)),
    )


def wire() -> None:
    from alliance import approvals, panels
    from alliance.demo import add_seeder
    from cities import extensions

    from .. import demo_support
    from ..services.support import ACTIVITY_KIND
    from ..services.workplans import ADVISE, EDIT_OWN, MANAGE

    _register_pickers()
    _describe()
    approvals.register(ACTIVITY_KIND)
    panels.register(panels.Panel(action=MANAGE, template="events/support/_region_panel.html",
                                 context=_region_panel, name="implementation-support",
                                 title=_("Implementation support")))
    panels.register(panels.Panel(action=EDIT_OWN, template="events/support/_own_panel.html",
                                 context=_own_panel))
    panels.register(panels.Panel(action=ADVISE, template="events/support/_own_panel.html",
                                 context=lambda request: _own_panel(request, skip_if=EDIT_OWN)))
    add_seeder(demo_support.seed)
    extensions.add_merge_step(_move_with_city)
    _menu()
