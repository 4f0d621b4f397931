"""Wiring of the experts area 'pipeline' into the core's registries (called from apps.py):
audit sentences, the vetting and clearance approval kinds, the expert picker, the linking of
an accepted invitation, the secretariat's dashboard card and the demo experts."""

from django.db.models import Count
from django.urls import reverse

from alliance.models import ApprovalRequest


def wire() -> None:
    from alliance import approvals, panels
    from alliance.demo import add_seeder
    from alliance.signals import invitation_accepted

    from .. import audit_labels, demo, pickers
    from ..services import vetting

    audit_labels.register()
    approvals.register(vetting.VETTING_KIND)
    approvals.register(vetting.CLEARANCE_KIND)
    pickers.register_all()
    invitation_accepted.connect(invitation_accepted_receiver,
                                dispatch_uid="experts.pipeline.link_account")
    panels.register(panels.Panel(action="experts.edit", template="experts/_expert_panel.html",
                                 context=pipeline_panel))
    add_seeder(demo.seed)


def invitation_accepted_receiver(sender, invitation, user, **kwargs) -> None:
    """The expert whose invitation was accepted gets the new account."""
    from alliance.services import audit
    from alliance.tenancy import region_scope, unscoped

    from ..models import Expert
    from ..services import pipeline

    if invitation.region_id is None:
        return
    with unscoped(reason="the invitation names its region; its expert is read there"):
        expert = (Expert.objects.filter(region_id=invitation.region_id, invitation=invitation,
                                        user__isnull=True).select_related("region").first())
    if expert is None:
        return
    with region_scope(expert.region):
        pipeline.link_account(expert=expert, user=user)
        audit.record(actor=user, action="experts.expert.account_linked", target=expert,
                     region=expert.region)


def pipeline_panel(request) -> dict:
    """The region's experts by stage and the vetting requests waiting for a Forum reviewer."""
    from ..models import Expert, Stage
    from ..services.pipeline import EXPERT_CLEARANCE, EXPERT_VETTING

    region = request.region
    counts = dict(Expert.objects.filter(region=region).order_by().values_list("stage")
                  .annotate(n=Count("pk")).values_list("stage", "n"))
    waiting = ApprovalRequest.objects.filter(
        region=region, kind__in=(EXPERT_VETTING, EXPERT_CLEARANCE),
        state=ApprovalRequest.State.PENDING).count() if counts else 0
    list_url = reverse("expert-list", kwargs={"region_slug": region.slug})
    return {"expert_stages": [(stage, label, counts.get(stage, 0), f"{list_url}?stage={stage}")
                              for stage, label in Stage.choices],
            "expert_total": sum(counts.values()), "experts_waiting": waiting,
            "experts_url": list_url}
