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


PANEL_ROW = ('<tr><th scope="row"><a href="{url}?stage={stage}">{label}</a></th>'
             '<td class="number">{count}</td></tr>')


def pipeline_panel(request) -> dict:
    """The region's experts by stage and how many wait for a Forum reviewer's vetting or
    clearance, in one query; the rows written here (a dashboard carries many cards)."""
    from django.db.models import Q
    from django.utils.formats import number_format
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from alliance.labels import labels_of

    from ..models import Expert, Stage
    from ..services.pipeline import EXPERT_CLEARANCE, EXPERT_VETTING

    region = request.region
    pending = ApprovalRequest.objects.filter(
        region=region, kind__in=(EXPERT_VETTING, EXPERT_CLEARANCE),
        state=ApprovalRequest.State.PENDING).values("object_id")
    counts = Expert.objects.filter(region=region).aggregate(
        waiting=Count("pk", filter=Q(pk__in=pending)),
        **{stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values})
    waiting = counts.pop("waiting")
    url = escape(reverse("expert-list", kwargs={"region_slug": region.slug}))
    rows = "".join(PANEL_ROW.format(url=url, stage=stage, label=escape(label),
                                    count=number_format(counts[stage], force_grouping=True))
                   for stage, label in labels_of(Stage).items())
    return {"expert_rows": mark_safe(rows), "expert_total": sum(counts.values()),
            "experts_waiting": waiting, "experts_url": url}
