"""The answering and review pages in `make bench` (registered from assessments/bench.py):
a city's assessment of forty questions as its contact answers it, as the secretariat reviews
it, and the contact's home with it, each growing clarifications, review comments, colleagues'
sections and history."""

from __future__ import annotations

import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from alliance.bench import BenchPage, in_region, owners_of, register
from alliance.models import AuditEntry, Role
from cities.models import City, Contact

from .bench import THIS_YEAR, State, _answers, _campaign
from .models import (
    Answer,
    Assessment,
    Campaign,
    Clarification,
    ReviewComment,
    SectionAssignment,
)
from .queries import questions_of
from .starter import build_starter

_answering = itertools.count(1)


def _an_assessment(bench, state: str, *, answered: float) -> dict:
    """A city of its own with this year's assessment (forty questions, `answered` of them
    answered) and the bench's city contact as its contact."""
    # Pages are prepared before the region's rows are seeded: this year's campaign is the
    # one the seeding then fills.
    campaign = _campaign(bench.region, build_starter(), THIS_YEAR, Campaign.State.OPEN)
    questions = list(questions_of(campaign.version_id, variant=campaign.variant))
    city = City.objects.create(region=bench.region, name=f"Bench answering {next(_answering)}",
                               country="JP")
    Contact.objects.create(region=bench.region, city=city, name="City official",
                           email=bench.users[Role.CITY_CONTACT].email,
                           user=bench.users[Role.CITY_CONTACT])
    now = timezone.now()
    assessment = Assessment.objects.create(
        region=bench.region, campaign=campaign, city=city, state=state, invited_at=now,
        last_activity_at=now, submitted_at=now if state == State.SUBMITTED else None)
    Answer.objects.bulk_create(_answers(assessment, questions[:int(len(questions) * answered)],
                                        1))
    bench.subject = assessment
    return {**in_region(bench), "assessment_id": assessment.pk}


def an_assessment_in_progress(bench) -> dict:
    return _an_assessment(bench, State.IN_PROGRESS, answered=0.5)


def a_submitted_assessment(bench) -> dict:
    return _an_assessment(bench, State.SUBMITTED, answered=1.0)


def a_contact_with_an_assessment(bench) -> dict:
    """The city contact's home: their city's open assessment on the dashboard."""
    _an_assessment(bench, State.RETURNED, answered=1.0)
    return in_region(bench)


def add_threads(bench, rows: int) -> None:
    """Clarification messages, review comments of earlier rounds, colleagues' sections and
    history about the subject's questions."""
    assessment = bench.subject
    questions = list(questions_of(assessment.campaign.version_id))
    secretary = owners_of(bench.region)[0]
    contact = assessment.city.contacts.first().user
    Clarification.objects.bulk_create(
        Clarification(region=bench.region, assessment=assessment,
                      question=questions[n % len(questions)], author=secretary if n % 2
                      else contact, from_secretariat=bool(n % 2),
                      body=f"Which documents count for this question? ({n})")
        for n in range(rows))
    ReviewComment.objects.bulk_create(
        ReviewComment(region=bench.region, assessment=assessment,
                      question=questions[(n * 3) % len(questions)], round=1 + n % 3,
                      body="Please add the document's link.", author=secretary,
                      resolved_at=None if n % 3 == 2 else timezone.now())
        for n in range(rows))
    sections = list({q.section_id: q.section_id for q in questions})
    SectionAssignment.objects.bulk_create(
        SectionAssignment(region=bench.region, assessment=assessment,
                          section_id=sections[n % len(sections)],
                          email=f"colleague{next(_answering)}@city.example.org",
                          name="A colleague", assigned_by=contact)
        for n in range(min(rows, len(sections))))
    kind = ContentType.objects.get_for_model(Assessment)
    AuditEntry.objects.bulk_create(
        AuditEntry(region=bench.region, actor=contact, action="assessments.assessment.answered",
                   content_type=kind, object_id=assessment.pk, data={"question": "q"})
        for _n in range(rows))


def a_question_s_discussion(bench) -> dict:
    """The question's own page: every review comment and the latest hundred messages."""
    kwargs = an_assessment_in_progress(bench)
    first = questions_of(bench.subject.campaign.version_id).first()
    return {**kwargs, "question_id": first.pk}


def register_pages() -> None:
    register(
        # A section at a time, with its questions' latest comments and messages.
        BenchPage("assessment-detail", Role.CITY_CONTACT, an_assessment_in_progress,
                  add_threads),
        # Every answer of the forty, with their latest comments and messages, on one page:
        # the reviewer decides on the assessment as a whole (the one form spans every
        # question). 6x, where a list is held to 5x and the city board to 8x.
        BenchPage("assessment-review", Role.REGIONAL_SECRETARIAT, a_submitted_assessment,
                  add_threads, max_ratio=6.0),
        BenchPage("assessment-question", Role.CITY_CONTACT, a_question_s_discussion,
                  add_threads),
        BenchPage("region-dashboard", Role.CITY_CONTACT, a_contact_with_an_assessment,
                  add_threads),
    )
