"""What answering adds to a city contact's home (registered from AssessmentsConfig.ready()):
their city's open assessment with its progress and deadline, the sections handed to
colleagues, and what waits for them (the secretariat's comments on a returned assessment,
clarifications the secretariat answered); for a colleague, the sections assigned to them."""

from __future__ import annotations

from django.urls import reverse

from alliance.panels import Panel
from cities.models import Contact

from .models import Assessment, Campaign, Clarification, ReviewComment, SectionAssignment
from .services.answering import assignments_of, sheet_of

SHOWN = 3  # assessments on the card: a contact answers for one city, rarely a few


def waiting_for(assessments: list[Assessment]) -> dict[int, list[dict]]:
    """{assessment id: [{question, why}]}: comments to fix, and threads whose last message is
    the secretariat's."""
    ids = [a.pk for a in assessments]
    waiting: dict[int, list[dict]] = {pk: [] for pk in ids}
    for comment in (ReviewComment.objects.filter(assessment_id__in=ids, resolved_at=None)
                    .select_related("question")):
        waiting[comment.assessment_id].append({"question": comment.question, "why": "comment"})
    last: dict[tuple[int, int], Clarification] = {}
    for message in (Clarification.objects.filter(assessment_id__in=ids)
                    .select_related("question").order_by("created_at", "id")):
        last[(message.assessment_id, message.question_id)] = message
    for (assessment_id, _question), message in last.items():
        if message.from_secretariat:
            waiting[assessment_id].append({"question": message.question, "why": "reply"})
    return waiting


def city_contact_home(request) -> dict:
    region, user = request.region, request.user
    cities = Contact.objects.filter(region=region, user=user).values("city_id")
    rows = list(Assessment.objects.filter(region=region, city_id__in=cities,
                                          campaign__state=Campaign.State.OPEN)
                .select_related("campaign", "city").order_by("city__name")[:SHOWN])
    prefix = reverse("assessment-detail", kwargs={"region_slug": region.slug,
                                                  "assessment_id": 0})[:-2]
    waiting = waiting_for(rows) if rows else {}
    handed = {}
    for assignment in (SectionAssignment.objects.filter(assessment__in=rows, removed_at=None)
                       .select_related("section").order_by("section__position", "id")):
        handed.setdefault(assignment.assessment_id, []).append(assignment)
    assessments = []
    for number, assessment in enumerate(rows):
        row = {"assessment": assessment, "url": f"{prefix}{assessment.pk}/",
               "waiting": waiting.get(assessment.pk, []),
               "handed": handed.get(assessment.pk, [])}
        if number == 0:
            # The progress of the first (a contact's one city, as a rule): rules decide
            # what is required, so it is read question by question, once.
            sheet = sheet_of(assessment)
            row.update(answered=sheet.answered_count, required=len(sheet.required),
                       percent=sheet.percent, progress=True)
        assessments.append(row)
    assigned = list(assignments_of(user).filter(region=region)
                    .exclude(assessment__city_id__in=cities)
                    .select_related("section", "assessment__city", "assessment__campaign")
                    .order_by("assessment__campaign__closes_on", "id")[:10])
    return {"assessments": assessments, "assigned": assigned, "prefix": prefix}


CITY_CONTACT_HOME = Panel(action="assessments.answer",
                          template="assessments/_assessment_panel.html",
                          context=city_contact_home)
