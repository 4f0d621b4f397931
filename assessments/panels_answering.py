"""What answering adds to a city contact's home (registered from AssessmentsConfig.ready()):
their city's open assessment with its progress and deadline, the sections handed to
colleagues, and what waits for them (the secretariat's comments on a returned assessment,
clarifications the secretariat answered); for a colleague, the sections assigned to them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from alliance.panels import Panel
from cities.models import Contact

from .models import (
    Assessment,
    Campaign,
    Clarification,
    Question,
    ReviewComment,
    SectionAssignment,
)
from .queries import progress_of
from .services.answering import granted_assignments

SHOWN = 3  # assessments on the card: a contact answers for one city, rarely a few


WAITING_SHOWN = 10  # questions listed as waiting, per assessment


def waiting_for(assessments: list[Assessment]) -> dict[int, list[dict]]:
    """{assessment id: [{question, why}]}: comments to fix, and threads whose last message is
    the secretariat's (read as id pairs; only the questions listed are read as rows)."""
    ids = [a.pk for a in assessments]
    pending = list(ReviewComment.objects.filter(assessment_id__in=ids, resolved_at=None)
                   .order_by("question__section__position", "question__position")
                   .values_list("assessment_id", "question_id"))
    last: dict[tuple[int, int], bool] = {}
    for assessment_id, question_id, from_secretariat in (
            Clarification.objects.filter(assessment_id__in=ids).order_by("created_at", "id")
            .values_list("assessment_id", "question_id", "from_secretariat")):
        last[(assessment_id, question_id)] = from_secretariat
    listed = [(*key, "comment") for key in dict.fromkeys(pending)]
    listed += [(*key, "reply") for key, theirs in last.items()
               if theirs and key not in set(pending)]
    shown: dict[int, list] = {pk: [] for pk in ids}
    for assessment_id, question_id, why in listed:
        if len(shown[assessment_id]) < WAITING_SHOWN:
            shown[assessment_id].append((question_id, why))
    wanted = {question_id for rows in shown.values() for question_id, _why in rows}
    questions = Question.objects.only("section_id", "text", "translations").in_bulk(wanted)
    return {pk: [{"question": questions[qid], "why": why} for qid, why in rows]
            for pk, rows in shown.items()}


def city_contact_home(request) -> dict:
    region, user = request.region, request.user
    # Through the contacts' user index (the scope adds their region; named twice, SQLite
    # reads every contact of the region instead).
    cities = Contact.objects.filter(user=user).values("city_id")
    rows = list(Assessment.objects.filter(region=region, city_id__in=cities,
                                          campaign__state=Campaign.State.OPEN)
                .select_related("campaign", "city").order_by("city__name")
                .only("state", "campaign__year", "campaign__closes_on", "campaign__version_id",
                      "campaign__variant", "city__name")[:SHOWN])
    prefix = reverse("assessment-detail", kwargs={"region_slug": region.slug,
                                                  "assessment_id": 0})[:-2]
    waiting = waiting_for(rows) if rows else {}
    handed = {}
    for assignment in (SectionAssignment.objects.filter(assessment__in=rows, removed_at=None)
                       .select_related("section").order_by("section__position", "id")
                       .only("assessment_id", "section_id", "name", "email", "section__title",
                             "section__translations")):
        handed.setdefault(assignment.assessment_id, []).append(assignment)
    assessments = []
    why = {"comment": escape(_("the secretariat asks for a change")),
           "reply": escape(_("the secretariat replied"))}
    for number, assessment in enumerate(rows):
        url = f"{prefix}{assessment.pk}/"
        row = {"assessment": assessment, "url": url,
               "waiting": waiting.get(assessment.pk, []),
               "handed": handed.get(assessment.pk, [])}
        # The lists' items written here: a {% translate %} and filters per item cost more.
        row["waiting_items"] = mark_safe("".join(
            f'<li><a href="{url}?section={item["question"].section_id}'
            f'#question-{item["question"].pk}">'
            f'{escape(Truncator(item["question"].shown_text).chars(80))}</a> · '
            f'{why[item["why"]]}</li>' for item in row["waiting"]))
        row["handed_items"] = mark_safe("".join(
            f"<li>{escape(assignment.section.shown_title)} → "
            f"{escape(assignment.name or assignment.email)}</li>"
            for assignment in row["handed"]))
        if number == 0:
            # The progress of the first (a contact's one city, as a rule): rules decide
            # what is required, so it is read question by question, once.
            answered, required = progress_of(assessment)
            row.update(answered=answered, required=required, progress=True,
                       percent=round(100 * answered / required) if required else 100)
        assessments.append(row)
    # Most contacts hold no colleague's grant: then there is nothing to read (or compile).
    granted = granted_assignments(user)
    assigned = [] if not granted else list(
        SectionAssignment.objects.filter(assignee=user, removed_at=None, pk__in=granted,
                                         region=region)
        .exclude(assessment__city_id__in=cities)
        .select_related("section", "assessment__city", "assessment__campaign")
        .order_by("assessment__campaign__closes_on", "id")
        .only("assessment_id", "section_id", "section__title", "section__translations",
              "assessment__city__name", "assessment__campaign__year",
              "assessment__campaign__closes_on")[:10])
    return {"assessments": assessments, "assigned": assigned, "prefix": prefix}


CITY_CONTACT_HOME = Panel(action="assessments.answer",
                          template="assessments/_assessment_panel.html",
                          context=city_contact_home)
