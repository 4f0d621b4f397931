"""The Senior Advisory Board (optional per region): its candidates against the playbook's
criteria, their status, and the board's gender balance."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import IntegerField, Value
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from alliance.pagination import paginate
from alliance.views import history, refused_into, requires

from ..forms.groups import CandidateForm
from ..models import AdvisorCandidate, AdvisorStatus
from ..services import board

VIEW, MANAGE = "experts.view_board", board.MANAGE


def _posted(request):
    """The form's data on a POST (even an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


@requires(VIEW)
def board_list(request, region_slug):
    status = request.GET.get("status", "")
    rows = AdvisorCandidate.objects.filter(region=request.region).annotate(
        met=sum((Cast(name, IntegerField()) for name in board.CRITERIA), Value(0)))
    if status in AdvisorStatus.values:
        rows = rows.filter(status=status)
    members, considered = board.gender_balance(request.region)
    return render(request, "experts/board_list.html", {
        "page_obj": paginate(request, rows.order_by("-met", "name", "id")),
        "balances": [(members, _("Board members"), "members-heading"),
                     (considered, _("Candidates and members"), "considered-heading")],
        "statuses": AdvisorStatus.choices,
        "status": status, "manages": board.manages(request.user, request.region)})


@requires(MANAGE)
def board_create(request, region_slug):
    form = CandidateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            board.add_candidate(actor=request.user, region=request.region,
                                **form.cleaned_data)
            messages.success(request, _("Candidate added."))
            return redirect("board-list", region_slug=region_slug)
    return render(request, "experts/board_form.html", {"form": form, "candidate": None})


@requires(MANAGE)
def board_edit(request, region_slug, candidate_id):
    candidate = get_object_or_404(AdvisorCandidate.objects.filter(region=request.region),
                                  pk=candidate_id)
    form = CandidateForm(_posted(request), instance=candidate)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            board.update_candidate(actor=request.user, candidate=candidate,
                                   **form.cleaned_data)
            messages.success(request, _("Candidate saved."))
            return redirect("board-list", region_slug=region_slug)
    return render(request, "experts/board_form.html", {
        "form": form, "candidate": candidate, "history": history(request, candidate)})


urlpatterns = [
    path("board/", board_list, name="board-list"),
    path("board/new/", board_create, name="board-create"),
    path("board/<int:candidate_id>/", board_edit, name="board-edit"),
]
