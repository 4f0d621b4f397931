"""Wiring of the experts area 'people' (stakeholders, the directory, the expert's own pages)
into the core's registries (called from apps.py): the stakeholder clearance a Forum reviewer
decides, the sentences its audit entries read as, the expert's dashboard card and the demo's
stakeholders."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance import approvals
from alliance.models import ApprovalRequest, Role
from alliance.services.audit import describe_as
from alliance.wording import field_names

from ..models import Expert, Stakeholder, StakeholderStatus
from ..services import stakeholders

DECISION = {"decision": ApprovalRequest.State}


def _stakeholder_url(approval) -> str:
    return reverse("stakeholder-detail", kwargs={"region_slug": approval.region.slug,
                                                 "stakeholder_id": approval.object_id})


def _stakeholder_subject(approval) -> dict:
    stakeholder = (Stakeholder._base_manager.select_related("owner")
                   .get(pk=approval.object_id))
    return {"stakeholder": stakeholder}


STAKEHOLDER_CLEARANCE_KIND = approvals.ApprovalKind(
    code=stakeholders.STAKEHOLDER_CLEARANCE,
    label=_("Engagement clearance (stakeholder)"),
    route_role=Role.FORUM_REVIEWER, on_decided=stakeholders.on_clearance_decided,
    target_url=_stakeholder_url,
    subject_template="experts/stakeholder_clearance_subject.html",
    subject_context=_stakeholder_subject,
    asked=_("%(actor)s asked for clearance to approach a stakeholder: %(summary)s"),
    title=_("Approach %(name)s (%(why)s)"),
    title_labels={"why": {"national_government": _("national government official"),
                          "forum_partner": _("Forum Partner")}})


def wire() -> None:
    from alliance import panels
    from alliance.demo import add_seeder

    from .. import demo_people
    from ..views.portal import portal_panel

    approvals.register(STAKEHOLDER_CLEARANCE_KIND)
    panels.register(panels.Panel(action="experts.own_record",
                                 template="experts/portal_panel.html", context=portal_panel))
    add_seeder(demo_people.seed)
    describe_as("experts.stakeholder.created", _("%(actor)s recorded %(name)s as a stakeholder"))
    describe_as("experts.stakeholder.updated", _("Stakeholder details edited (%(fields)s)"),
                labels={"fields": field_names(Stakeholder)})
    describe_as("experts.stakeholder.status_changed",
                _("%(actor)s changed the status: %(old)s → %(new)s"),
                labels={"old": StakeholderStatus, "new": StakeholderStatus})
    describe_as("experts.stakeholder.clearance_requested",
                _("%(actor)s asked the Forum reviewers for engagement clearance to approach "
                  "%(name)s"))
    describe_as("experts.stakeholder.clearance_decided",
                _("%(actor)s decided on engagement clearance for %(name)s: %(decision)s"),
                labels=DECISION)
    describe_as("experts.expert.profile_updated",
                _("%(actor)s edited their own profile (%(fields)s)"),
                labels={"fields": field_names(Expert)})

