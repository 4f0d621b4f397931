"""The secretariat's review of a submitted assessment: every answer with its question, who
answered it and its clarifications, a comment box per question, and the decision: return to
the city with comments, or accept."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from alliance.views import history, refused, requires

from ..services import case_studies, review
from .answer_rows import QuestionHtml
from .answering import (
    HISTORY_SHOWN,
    assessment_url,
    comments_of,
    drawn,
    load,
    page_items,
    prefixes,
    sheet_for_page,
)


def _context(request, assessment, access, *, comments=None, error=None) -> dict:
    sheet = sheet_for_page(assessment, access)
    may_decide = access.may_review and assessment.state == assessment.State.SUBMITTED
    urls = prefixes(assessment)
    case_study_url = (reverse("case-study-create",
                              kwargs={"region_slug": request.region.slug})
                      if case_studies.manages(request.user, request.region) else "")
    html = QuestionHtml(request, may_edit=False, may_clarify=access.may_clarify,
                        question_prefix=urls["question_prefix"],
                        evidence_prefix=urls["evidence_prefix"], thread_next="review",
                        may_decide=may_decide, posted_comments=comments,
                        case_study_url=case_study_url)
    comments = comments_of(assessment)
    return {
        "assessment": assessment, "campaign": assessment.campaign, "city": assessment.city,
        "access": access, "sheet": sheet,
        "sections": drawn(page_items(assessment, access, sheet, comments=comments),
                          html.reviewing, html),
        "may_decide": may_decide, "error": error,
        # The latest round of comments (review.current_round), read off the page's comments.
        "round": max((c.round for rows in comments.values() for c in rows), default=0),
        "history": history(request, assessment, limit=HISTORY_SHOWN),
    }


@require_safe
@requires("assessments.view_campaigns")
def assessment_review(request, region_slug, assessment_id):
    assessment, access = load(request, assessment_id)
    if access.is_city:
        raise Http404
    return render(request, "assessments/review_detail.html",
                  _context(request, assessment, access))


@require_POST
@requires("assessments.review")
def assessment_decide(request, region_slug, assessment_id):
    assessment, access = load(request, assessment_id)
    decision = request.POST.get("decision")
    comments = {}
    for name, text in request.POST.items():
        if name.startswith("comment-") and name[8:].isdigit() and text.strip():
            comments[int(name[8:])] = text
    with refused() as refusal:
        if decision == "accept":
            review.accept(actor=request.user, assessment=assessment)
            messages.success(request, _("Assessment accepted. The city has been told."))
        elif decision == "return":
            made = review.return_to_city(actor=request.user, assessment=assessment,
                                         comments=comments)
            messages.success(request, ngettext(
                "Returned to the city with %(n)s comment.",
                "Returned to the city with %(n)s comments.", len(made)) % {"n": len(made)})
        else:
            return redirect("assessment-review", region_slug=region_slug,
                            assessment_id=assessment.pk)
        return redirect(assessment_url(assessment) if decision == "return" else reverse(
            "assessment-review", kwargs={"region_slug": region_slug,
                                         "assessment_id": assessment.pk}))
    assessment.refresh_from_db()
    context = _context(request, assessment, access, comments=comments,
                       error=refusal.error.message)
    return render(request, "assessments/review_detail.html", context, status=400)


P = "<int:assessment_id>/"
urlpatterns = [
    path(P + "review/", assessment_review, name="assessment-review"),
    path(P + "review/decide/", assessment_decide, name="assessment-decide"),
]
