"""Demo assessments: the starter questionnaire (published, in three languages) and every
region's schedule and busy periods; Japan, in its Operation phase, has last year's campaign
closed and accepted and this year's open, its cities at every state (Maebashi, the demo city
official's city, in progress), and two case studies for the Hub. Safe to run again: nothing
is duplicated.

Call inside the region's scope: `seed(region, secretariat_user)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cities.models import City, Stage

from .models import (
    Answer,
    Assessment,
    AssessmentSettings,
    BusyPeriod,
    Campaign,
    CaseStudy,
    ModelPolicy,
    Principle,
    PrincipleKey,
    QuestionKind,
    ReviewComment,
)
from .queries import questions_of
from .services.scoring import score, weigh
from .starter import build_starter

# slug: opening month, busy periods (name, from month, day, to month, day)
SCHEDULES = {
    "japan": (10, [("Year end and New Year", 12, 20, 1, 10),
                   ("City assembly sessions", 6, 1, 6, 30)]),
    "india": (7, [("Monsoon session of the legislature", 7, 20, 8, 20)]),
    "latin-america": (3, [("Summer holidays", 1, 1, 2, 15)]),
}
# The cities that answer in Japan besides its members: they opted in.
ANSWERING_STAGES = (Stage.MEMBER, Stage.COMMITTED, Stage.IN_DIALOGUE, Stage.CONTACTED,
                    Stage.SHORT_LIST)
State = Assessment.State
# This year's states, city by city (alphabetical); Maebashi, first, is in progress.
THIS_YEAR = [State.IN_PROGRESS, State.SUBMITTED, State.ACCEPTED, State.RETURNED,
             State.NOT_STARTED, State.ACCEPTED]
CHOICES = ["yes", "partial", "yes", "no", "partial", "yes", "yes"]


def seed(region, secretariat) -> None:
    version = build_starter()
    opening_month, busy_periods = SCHEDULES.get(region.slug, (None, []))
    AssessmentSettings.objects.get_or_create(region=region,
                                             defaults={"opening_month": opening_month})
    if not BusyPeriod.objects.filter(region=region).exists():
        BusyPeriod.objects.bulk_create(
            BusyPeriod(region=region, name=name, start_month=sm, start_day=sd, end_month=em,
                       end_day=ed) for name, sm, sd, em, ed in busy_periods)
    if region.slug == "japan":
        _japan_campaigns(region, secretariat, version)
        _japan_case_studies(region, secretariat)


def _japan_campaigns(region, secretariat, version) -> None:
    cities = list(City.objects.filter(region=region, stage__in=ANSWERING_STAGES)
                  .order_by("name"))
    if not cities or Campaign.objects.filter(region=region).exists():
        return
    questions = list(questions_of(version))
    last_year = _campaign(region, secretariat, version, cities, 2025, Campaign.State.CLOSED)
    for index, assessment in enumerate(_assessments(last_year, cities)):
        _answer(assessment, questions, index, upto=len(questions), offset=2)
        _finish(assessment, State.ACCEPTED)
    this_year = _campaign(region, secretariat, version, cities, 2026, Campaign.State.OPEN)
    for index, assessment in enumerate(_assessments(this_year, cities)):
        state = THIS_YEAR[index % len(THIS_YEAR)]
        if state == State.NOT_STARTED:
            continue
        half = len(questions) // 2 if state == State.IN_PROGRESS else len(questions)
        _answer(assessment, questions, index, upto=half, offset=0)
        _finish(assessment, state)
        if state == State.RETURNED:
            ReviewComment.objects.create(
                region=region, assessment=assessment, question=questions[0], author=secretariat,
                body="Please link the published privacy policy: the answer says it exists.")


# city, title, what the city did, what came of it, principle, model policy, state
CASE_STUDIES = [
    ("Maebashi", "Privacy review before every new sensor",
     ("Every project that places cameras or sensors in public space goes through a privacy "
     "impact assessment, published on the city's website before procurement."),
     "Two projects changed their design to collect less; residents' complaints fell.",
     PrincipleKey.PRIVACY, "Privacy Impact Assessment", CaseStudy.State.READY),
    ("Takamatsu", "One data platform for the city's departments",
     ("Departments publish their data through one platform with open interfaces, so that "
     "disaster prevention, tourism and transport share the same data."), "",
     PrincipleKey.INTEROPERABILITY, "Open Data", CaseStudy.State.DRAFT),
]


def _japan_case_studies(region, secretariat) -> None:
    if CaseStudy.objects.filter(region=region).exists():
        return
    cities = {c.name: c for c in City.objects.filter(region=region)}
    principles = {p.key: p for p in Principle.objects.all()}
    for name, title, summary, outcome, key, policy, state in CASE_STUDIES:
        if name in cities:
            case_study = CaseStudy.objects.create(
                region=region, city=cities[name], title=title, summary=summary,
                outcome=outcome, state=state, created_by=secretariat,
                model_policy=ModelPolicy.objects.filter(title=policy).first())
            case_study.principles.set([principles[key]])


def _campaign(region, secretariat, version, cities, year, state) -> Campaign:
    launched = timezone.make_aware(datetime.datetime(year, 10, 1, 9))
    campaign = Campaign.objects.create(
        region=region, year=year, version=version, opens_on=datetime.date(year, 10, 1),
        closes_on=datetime.date(year, 12, 18), state=state, launched_by=secretariat,
        launched_at=launched, launch_total=len(cities), launch_done=len(cities),
        closed_at=timezone.make_aware(datetime.datetime(year, 12, 19))
        if state == Campaign.State.CLOSED else None)
    campaign.extra_cities.set([c for c in cities if c.stage != Stage.MEMBER])
    return campaign


def _assessments(campaign, cities) -> list[Assessment]:
    return Assessment.objects.bulk_create(
        Assessment(region=campaign.region, campaign=campaign, city=city,
                   invited_at=campaign.launched_at) for city in cities)


def _answer(assessment, questions, index, *, upto: int, offset: int) -> None:
    """Answers that differ by city and by year (`offset`): last year a little weaker."""
    answers, followed = [], {q.shown_if_id for q in questions}
    for position, question in enumerate(questions[:upto]):
        answer = Answer(region=assessment.region, assessment=assessment, question=question,
                        revision=1)
        pick = index + position + offset
        if question.kind == QuestionKind.YES_PARTIAL_NO:
            answer.choice = CHOICES[pick % len(CHOICES)]
            if offset and answer.choice == "yes":
                answer.choice = "partial"
            if question.pk in followed and answer.choice == "no":
                answer.choice = "partial"  # its follow-up question is answered too
        elif question.kind == QuestionKind.MATURITY:
            answer.choice = str(min(4, 1 + pick % 4 - (1 if offset else 0)))
        elif question.kind == QuestionKind.NUMBER:
            answer.number = 3 + pick % 20
        elif question.kind == QuestionKind.TEXT:
            answer.text = "Reviewed with the departments concerned; see the attached document."
        else:
            answer.evidence_url = f"https://example.org/{assessment.city.name.lower()}/policy"
        weigh(question, answer, shown=True)
        answers.append(answer)
    Answer.objects.bulk_create(answers)


def _finish(assessment, state) -> None:
    moment = assessment.campaign.launched_at + datetime.timedelta(days=20)
    assessment.state = state
    assessment.last_activity_at = moment
    if state in (State.SUBMITTED, State.ACCEPTED, State.RETURNED):
        assessment.submitted_at = moment
    if state == State.ACCEPTED:
        assessment.accepted_at = moment + datetime.timedelta(days=3)
    assessment.save()
    if state != State.IN_PROGRESS:
        score(assessment)
