"""The assessment app in `make bench` (registry: alliance/bench.py): campaigns, assessments
and answers of a region in real proportions, and the pages measured on them.

Every bench region runs this year's campaign of the starter questionnaire (forty questions)
for all its cities, as a region would once every city is a member or opted in: of each ten
cities, four are accepted, two submitted, one returned, two in progress (half answered) and
one not started. Last year's campaign holds the same cities' accepted scores."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from alliance.bench import Batch, BenchPage, add_background, in_region, owners_of, register
from alliance.models import Role
from cities.models import City

from .models import (
    Answer,
    Assessment,
    Campaign,
    Condition,
    ModelPolicy,
    Principle,
    PrincipleScore,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Section,
)
from .queries import questions_of
from .services.questionnaires import copy_contents, next_number
from .services.scoring import weigh
from .starter import build_starter

State = Assessment.State
# By a city's position in its round, of every ten.
STATES = [State.ACCEPTED, State.SUBMITTED, State.IN_PROGRESS, State.ACCEPTED, State.RETURNED,
          State.ACCEPTED, State.NOT_STARTED, State.SUBMITTED, State.IN_PROGRESS, State.ACCEPTED]
CHOICES = ["yes", "partial", "no", "yes", "partial"]
THIS_YEAR = timezone.now().year
_serial = itertools.count(1)  # keeps names unique across rounds


def add_assessments(batch: Batch) -> None:
    region, cities = batch.region, batch.added[City]
    version = build_starter()
    questions = list(questions_of(version))
    this_year = _campaign(region, version, THIS_YEAR, Campaign.State.OPEN)
    last_year = _campaign(region, version, THIS_YEAR - 1, Campaign.State.CLOSED)
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(region=region, campaign=this_year, city=city,
                   state=STATES[n % len(STATES)], invited_at=now,
                   last_activity_at=None if STATES[n % len(STATES)] == State.NOT_STARTED
                   else now - datetime.timedelta(hours=n % 500))
        for n, city in enumerate(cities))
    previous = Assessment.objects.bulk_create(
        Assessment(region=region, campaign=last_year, city=city, state=State.ACCEPTED,
                   invited_at=now, last_activity_at=now)
        for city in cities)
    answers = []
    for n, assessment in enumerate(assessments):
        answered = {State.NOT_STARTED: 0, State.IN_PROGRESS: len(questions) // 2}.get(
            assessment.state, len(questions))
        answers += _answers(assessment, questions[:answered], n)
    Answer.objects.bulk_create(answers, batch_size=2000)
    _scores(region, [a for a in assessments if a.state not in (State.NOT_STARTED,
                                                               State.IN_PROGRESS)])
    _scores(region, previous)


def _campaign(region, version, year: int, state: str) -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(region=region, year=year, defaults={
        "version": version, "opens_on": datetime.date(year, 10, 1),
        "closes_on": datetime.date(year, 12, 18), "state": state,
        "launched_by": owners_of(region)[0]})
    return campaign


def _answers(assessment, questions, n: int) -> list[Answer]:
    rows = []
    for position, question in enumerate(questions):
        answer = Answer(region=assessment.region, assessment=assessment, question=question,
                        revision=1)
        if question.kind == QuestionKind.YES_PARTIAL_NO:
            answer.choice = CHOICES[(n + position) % len(CHOICES)]
        elif question.kind == QuestionKind.MATURITY:
            answer.choice = str((n + position) % 5)
        elif question.kind == QuestionKind.NUMBER:
            answer.number = (n * 7 + position) % 40
        elif question.kind == QuestionKind.TEXT:
            answer.text = "Reviewed with the departments concerned."
        else:
            answer.evidence_url = "https://example.org/policy"
        weigh(question, answer, shown=True)
        rows.append(answer)
    return rows


def _scores(region, assessments) -> None:
    """Principle and overall scores as submission stores them, spread from 20 to 95."""
    principles = list(Principle.objects.all())
    PrincipleScore.objects.bulk_create(
        (PrincipleScore(region=region, assessment=assessment, principle=principle,
                        score=20 + (n * 13 + k * 29) % 76)
         for n, assessment in enumerate(assessments)
         for k, principle in enumerate(principles)), batch_size=2000)
    for n, assessment in enumerate(assessments):
        assessment.overall_score = 20 + (n * 17) % 76
    Assessment.objects.bulk_update(assessments, ["overall_score"], batch_size=2000)


add_background(add_assessments)


# -- the roadmap and the questionnaire builder ---------------------------------------------------

def _roadmap(bench) -> dict:
    """The region's roadmap page: the starter's adopted policies, and proposals grown."""
    build_starter()
    return in_region(bench)


def add_proposals(bench, rows: int) -> None:
    """Proposals of the region (the page lists its latest) and policies adopted from them."""
    principles = list(Principle.objects.all())
    policies = ModelPolicy.objects.bulk_create(
        ModelPolicy(title=f"Bench proposal {next(_serial)}", summary="A proposed norm.",
                    reference_title="A city's practice", reference_url="https://example.org",
                    task_force="Three regions", proposed_by_region=bench.region,
                    status=ModelPolicy.Status.ADOPTED if n % 3 == 0
                    else ModelPolicy.Status.PROPOSED)
        for n in range(rows))
    ModelPolicy.principles.through.objects.bulk_create(
        ModelPolicy.principles.through(modelpolicy_id=policy.pk,
                                       principle_id=principles[n % len(principles)].pk)
        for n, policy in enumerate(policies))


def _draft_version(bench) -> dict:
    """The builder on a draft copy of the starter questionnaire (every edit control shown)."""
    starter = build_starter()
    draft = QuestionnaireVersion.objects.create(
        questionnaire=starter.questionnaire, number=next_number(starter.questionnaire),
        based_on=starter)
    copy_contents(source=starter, target=draft)
    bench.subject = draft
    return {"version_id": draft.pk}


def _published_version(bench) -> dict:
    bench.subject = build_starter()
    return {**in_region(bench), "version_id": bench.subject.pk}


def add_questions(bench, rows: int) -> None:
    """More questions in the version's last section, some with rules and translations: a
    questionnaire holds tens of questions, whatever the region's size, so a few more."""
    rows = min(rows, 20)
    section = Section.objects.filter(version=bench.subject).order_by("-position").first()
    anchor = Question.objects.filter(section=section).order_by("position").first()
    Question.objects.bulk_create(
        Question(section=section, position=1000 + n, name=f"bench_{next(_serial)}",
                 kind=QuestionKind.YES_PARTIAL_NO, text="Is it in place?",
                 translations={"ja": {"text": "導入されていますか？"}},
                 shown_if=anchor if n % 2 else None,
                 operator=Condition.NOT_EQUALS if n % 2 else "", value="no" if n % 2 else "")
        for n in range(rows))


register(
    BenchPage("roadmap", Role.CITY_CONTACT, _roadmap, add_proposals),
    BenchPage("roadmap", Role.REGIONAL_SECRETARIAT, _roadmap, add_proposals),
    # Every question of a draft with its controls: as long as the version, whatever the region.
    BenchPage("global:version-detail", Role.GLOBAL_SECRETARIAT, _draft_version, add_questions),
    BenchPage("questionnaire-preview", Role.REGIONAL_SECRETARIAT, _published_version,
              add_questions),
)


# The answering and review pages read this module's seeding helpers: registered after them.
from .bench_answering import register_pages  # noqa: E402

register_pages()

from .bench_campaigns import register_pages as register_campaign_pages  # noqa: E402

register_campaign_pages()

from .bench_benchmarks import register_all as register_benchmark_pages_and_jobs  # noqa: E402

register_benchmark_pages_and_jobs()

from .bench_case_studies import register_pages as register_case_study_pages  # noqa: E402

register_case_study_pages()
