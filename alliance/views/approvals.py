from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import approvals as approval_kinds
from .. import queries
from ..forms import ApprovalFilterForm, DecisionForm
from ..pagination import paginate
from ..services import approvals
from . import here, here_prefix, history, refused_into, requires


@requires("alliance.view_approvals")
def approval_list(request, region_slug=None):
    filters = ApprovalFilterForm(request.GET)
    if filters.is_valid():
        rows = queries.approvals_for(request.user, request.region, **filters.cleaned_data)
    else:
        # The form shows what is wrong; rows that ignored the filter would pass for filtered.
        rows = queries.approvals_for(request.user, request.region).none()
    return render(request, "alliance/approval_list.html", {
        "filters": filters, "page_obj": paginate(request, rows),
        "approval_url": here_prefix(request, "approval-detail", "approval_id")})


@requires("alliance.view_approvals")
def approval_detail(request, approval_id, region_slug=None):
    approval = get_object_or_404(queries.approvals_for(request.user, request.region),
                                 pk=approval_id)
    may_decide = approval.state == approval.State.PENDING and approvals.can_decide(
        request.user, approval)
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            with refused_into(form):
                approvals.decide(actor=request.user, approval=approval,
                                 decision=form.cleaned_data["decision"],
                                 comment=form.cleaned_data["comment"])
                messages.success(request, _("Decision recorded; the requester is notified."))
                return redirect(here(request, "approval-detail", approval_id=approval.pk))
    target_url = approval.target_url
    if target_url:
        # The object's page leads back here (alliance/_back_link.html).
        target_url = f"{target_url}?{urlencode({'next': request.path})}"
    return render(request, "alliance/approval_detail.html", {
        "approval": approval, "form": form, "history": history(request, approval),
        "subject": approval_kinds.render_subject(approval, request), "target_url": target_url,
        "list_url": here(request, "approval-list")})
