"""PDF reports: a city report (scores by principle, its place in the region's benchmark, the
answers with their questions, the secretariat's comments) and a region report (every city of
the campaign, the distributions, the table of scores).

A report is rendered by a Celery task (assessments.tasks.render_report), never in the
request, in the report's language with the fonts the project ships. It is kept until its data
changes: `fingerprint` hashes what the report is made from, and asking for a report whose
data still hashes the same returns the one already made.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.pdf import render_pdf
from cities.models import Contact

from .. import benchmarks, charts
from ..conditions import answer_value, hidden_questions
from ..models import (
    MATURITY_LEVELS,
    Answer,
    Assessment,
    Campaign,
    Principle,
    PrincipleScore,
    QuestionKind,
    Report,
    ReviewComment,
)
from ..queries import questions_of, sections_of

logger = logging.getLogger(__name__)

# The task's limits, in seconds: past the soft one the report fails with a message, past the
# hard one the worker is stopped. A region of 500 cities renders in well under the soft one.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150
# Bumped when what a report shows changes, so reports made before are made anew.
LAYOUT = 1

KIND = Report.Kind
STATE = Report.State
SHOWN_RESULTS = (Assessment.State.SUBMITTED, Assessment.State.ACCEPTED)


# -- who may read what ---------------------------------------------------------------------------

def is_contact_of(user, city_id: int, region) -> bool:
    """A city contact linked to this city (the person who answers for it)."""
    return (permissions.can(user, "assessments.answer", region=region)
            and Contact.objects.filter(city_id=city_id, user=user).exists())


def is_city_contact(user, region) -> bool:
    """Holds the city contact's role in the region (their city is the one linked to them)."""
    return permissions.can(user, "assessments.answer", region=region)


def may_read_region(user, region) -> bool:
    """The region's secretariat and reviewers: every city's scores and the region report."""
    return permissions.can(user, "assessments.view_benchmarks", region=region)


def may_read_city(user, assessment: Assessment) -> bool:
    """The region's secretariat and reviewers, and the city's own contact once the assessment
    is submitted (its scores are stored then)."""
    if may_read_region(user, assessment.region):
        return True
    return (assessment.state in SHOWN_RESULTS
            and is_contact_of(user, assessment.city_id, assessment.region))


def may_read_report(user, report: Report) -> bool:
    if report.kind == KIND.REGION:
        return may_read_region(user, report.region)
    return report.assessment is not None and may_read_city(user, report.assessment)


# -- what a report is made from ------------------------------------------------------------------

def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _cohort_state(campaign: Campaign) -> list:
    """What the benchmark figures depend on: the counted assessments and their scores."""
    counted = benchmarks.counted(Assessment.objects.filter(campaign=campaign))
    tally = counted.aggregate(n=Count("pk"), total=Sum("overall_score"),
                              submitted=Max("submitted_at"), accepted=Max("accepted_at"))
    scores = PrincipleScore.objects.filter(assessment__in=counted.values("pk")).aggregate(
        n=Count("pk"), total=Sum("score"))
    return [tally, scores]


def fingerprint_of(campaign: Campaign, assessment: Assessment | None, language: str) -> str:
    """A hash of the data a report is made from: the assessments' ids, states and scores,
    the latest answer and comment, the benchmark's inputs and the language."""
    data = [LAYOUT, language, campaign.pk, campaign.year, _cohort_state(campaign)]
    if assessment is None:
        data.append(list(Assessment.objects.filter(campaign=campaign).order_by("pk")
                         .values_list("pk", "state", "overall_score")))
        data.append(Answer.objects.filter(assessment__campaign=campaign).aggregate(
            n=Count("pk"), last=Max("updated_at")))
    else:
        own = Assessment.objects.filter(pk=assessment.pk).values(
            "state", "overall_score", "submitted_at", "accepted_at").first()
        data.append([assessment.pk, own])
        data.append(list(PrincipleScore.objects.filter(assessment=assessment)
                         .order_by("principle_id").values_list("principle_id", "score")))
        data.append(Answer.objects.filter(assessment=assessment).aggregate(
            n=Count("pk"), last=Max("updated_at"), revisions=Sum("revision")))
        data.append(ReviewComment.objects.filter(assessment=assessment).aggregate(
            n=Count("pk"), last=Max("created_at"), resolved=Max("resolved_at")))
        previous = benchmarks.previous_of(assessment)
        data.append([previous.overall, sorted(previous.principles.items())] if previous else None)
    return _digest(data)


# -- asking for a report -------------------------------------------------------------------------

def stalled(report: Report) -> bool:
    """Queued or rendering for longer than the task may run: its worker is gone."""
    return (report.state in (STATE.QUEUED, STATE.RENDERING)
            and report.created_at < timezone.now() - timedelta(seconds=2 * TIME_LIMIT))


def request_report(*, actor, campaign: Campaign, assessment: Assessment | None = None,
                   language: str) -> Report:
    """The report of this data in this language: the one already made (or being made) when
    its fingerprint still matches, else a new one queued for the task. A failed report of
    the same data is queued again."""
    return obtain_report(actor=actor, campaign=campaign, assessment=assessment,
                         language=language)[0]


def obtain_report(*, actor, campaign: Campaign, assessment: Assessment | None = None,
                  language: str) -> tuple[Report, bool]:
    """`request_report`, and whether the report is a new one (False: reused)."""
    if assessment is None:
        if not may_read_region(actor, campaign.region):
            raise PermissionDenied(_("Your role does not allow this here."))
    else:
        if assessment.campaign_id != campaign.pk:
            raise DomainError(_("This assessment belongs to another campaign."))
        if not may_read_city(actor, assessment):
            raise PermissionDenied(_("Your role does not allow this here."))
    kind = KIND.REGION if assessment is None else KIND.CITY
    with transaction.atomic():
        # One request at a time per campaign decides whether a report is made anew.
        Campaign.objects.select_for_update(of=("self",)).filter(pk=campaign.pk).first()
        fingerprint = fingerprint_of(campaign, assessment, language)
        report = (Report.objects.filter(campaign=campaign, kind=kind, assessment=assessment,
                                        language=language, fingerprint=fingerprint)
                  .exclude(state=STATE.FAILED).order_by("-created_at").first())
        if report is not None and not stalled(report):
            return report, False
        report = Report.objects.create(
            region=campaign.region, kind=kind, campaign=campaign, assessment=assessment,
            language=language, fingerprint=fingerprint, requested_by=actor)
        _enqueue(report)
    return report, True


def retry_report(*, actor, report: Report) -> Report:
    """A failed report asked for again, of the data as it stands now."""
    if report.state != STATE.FAILED:
        raise DomainError(_("Only a report that failed can be tried again."))
    return request_report(actor=actor, campaign=report.campaign, assessment=report.assessment,
                          language=report.language)


def _enqueue(report: Report) -> None:
    from ..tasks import render_report

    region_id, report_id = report.region_id, report.pk
    transaction.on_commit(
        lambda: render_report.delay(region_id=region_id, report_id=report_id), robust=True)


# -- rendering (in the task) ---------------------------------------------------------------------

def _progress(report: Report, percent: int, **fields) -> None:
    fields["progress"] = percent
    Report.objects.filter(pk=report.pk).update(**fields)
    for name, value in fields.items():
        setattr(report, name, value)


def render_report(*, report_id: int) -> Report | None:
    """Render a queued report (inside its region's scope). Safe to run twice: a report
    already made is left as it is. Failures are kept on the report with their reason."""
    report = (Report.objects.select_related("campaign__region", "campaign__version",
                                            "assessment__city", "assessment__campaign")
              .filter(pk=report_id).first())
    if report is None or report.state == STATE.READY:
        return report
    _progress(report, 5, state=STATE.RENDERING, error="")
    try:
        with translation.override(report.language):
            # The data as it is now: what the file shows is what the fingerprint names.
            fingerprint = fingerprint_of(report.campaign, report.assessment, report.language)
            _progress(report, 15, fingerprint=fingerprint)
            if report.kind == KIND.CITY:
                template, context = "assessments/pdf_city_report.html", city_context(report)
            else:
                template, context = "assessments/pdf_region_report.html", region_context(report)
            _progress(report, 40)
            pdf = render_pdf(template, context)
        _progress(report, 90)
        report.file.save(file_name(report), ContentFile(pdf), save=False)
        _progress(report, 100, state=STATE.READY, file=report.file.name,
                  finished_at=timezone.now())
        forget_older(report)
    except SoftTimeLimitExceeded:
        _progress(report, 0, state=STATE.FAILED, finished_at=timezone.now(),
                  error=_("The report took longer than %(seconds)s seconds to make.")
                  % {"seconds": SOFT_TIME_LIMIT})
    except Exception as error:  # kept on the report for the person who asked, then logged
        logger.exception("Report %s failed", report.pk)
        _progress(report, 0, state=STATE.FAILED, finished_at=timezone.now(),
                  error=_("The report could not be made (%(reason)s).")
                  % {"reason": type(error).__name__})
    return report


def forget_older(report: Report) -> int:
    """Reports of the same subject and language made before this one (their data has
    changed since) are deleted with their files; those still being made are left be."""
    older = list(Report.objects.filter(
        campaign_id=report.campaign_id, kind=report.kind, assessment_id=report.assessment_id,
        language=report.language, created_at__lt=report.created_at,
        state__in=(STATE.READY, STATE.FAILED)).only("pk", "file"))
    for row in older:
        if row.file:
            row.file.delete(save=False)
    Report.objects.filter(pk__in=[row.pk for row in older]).delete()
    return len(older)


def file_name(report: Report) -> str:
    if report.kind == KIND.CITY:
        return f"city-report-{report.campaign.year}-{report.assessment.city_id}-{report.pk}.pdf"
    return f"region-report-{report.campaign.year}-{report.region_id}-{report.pk}.pdf"


def download_name(report: Report) -> str:
    if report.kind == KIND.CITY:
        return _("%(city)s assessment %(year)s") % {"city": report.assessment.city.name,
                                                   "year": report.campaign.year}
    return _("%(region)s assessment %(year)s") % {"region": report.region.name,
                                                 "year": report.campaign.year}


# -- what reports show ---------------------------------------------------------------------------

def shown_answer(kind: str, choice: str, number, text: str, evidence_url: str,
                 evidence_name: str) -> str:
    """An answer as a person reads it, in the active language."""
    if kind == QuestionKind.YES_PARTIAL_NO and choice:
        return {"yes": _("Yes"), "partial": _("Partly"), "no": _("No")}.get(choice, choice)
    if kind == QuestionKind.MATURITY and choice:
        return _("Level %(level)s of %(top)s") % {"level": choice, "top": MATURITY_LEVELS}
    if number is not None:
        if number == number.to_integral_value():
            number = number.quantize(1)
        return number_format(number.normalize() if number != number.quantize(1) else number)
    parts = [part for part in (text.strip(), evidence_name, evidence_url) if part]
    return " · ".join(parts)


@dataclass
class AnswerLine:
    section: str
    principle: str
    question: str
    answer: str
    comments: list[str]


def answer_lines(assessment: Assessment) -> list[AnswerLine]:
    """The questions the city was asked and sees (a rule may hide some), in questionnaire
    order, with its answers and the secretariat's comments on them."""
    campaign = assessment.campaign
    questions = list(questions_of(campaign.version_id, variant=campaign.variant)
                     .select_related("section__principle"))
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    hidden = hidden_questions(list(sections_of(campaign.version_id)), questions,
                              {qid: answer_value(a) for qid, a in answers.items()})
    comments: dict[int, list[str]] = {}
    for comment in ReviewComment.objects.filter(assessment=assessment).order_by("round", "pk"):
        comments.setdefault(comment.question_id, []).append(comment.body)
    lines = []
    for question in questions:
        if question.pk in hidden:
            continue
        answer = answers.get(question.pk)
        shown = (shown_answer(question.kind, answer.choice, answer.number, answer.text,
                              answer.evidence_url, answer.evidence_name) if answer else "")
        section = question.section
        lines.append(AnswerLine(
            section=section.shown_title,
            principle=section.principle.label if section.principle else "",
            question=question.shown_text, answer=shown,
            comments=comments.get(question.pk, [])))
    return lines


def city_results(assessment: Assessment):
    """The city's benchmark, place, last year's scores and lines (overall, then principles)."""
    principles = list(Principle.objects.all())
    benchmark = benchmarks.campaign_benchmark(assessment.campaign, principles=principles)
    previous = benchmarks.previous_of(assessment)
    place = benchmarks.place_of(assessment)
    lines = benchmarks.results_of(assessment, benchmark, previous)
    return benchmark, place, previous, lines


def city_charts(assessment: Assessment, lines, *, prefix: str = "city") -> dict:
    city = assessment.city.name
    return {
        "bars": charts.bar_chart(
            [(line.label, line.score) for line in lines], chart_id=f"{prefix}-scores",
            title=_("%(city)s: scores by principle") % {"city": city}),
        "boxes": charts.box_plot(
            [charts.BoxRow(line.label, line.figures, line.score) for line in lines],
            chart_id=f"{prefix}-benchmark",
            title=_("%(city)s against the region") % {"city": city}, marker_label=city),
    }


def city_context(report: Report) -> dict:
    assessment = report.assessment
    benchmark, place, previous, lines = city_results(assessment)
    return {"report": report, "assessment": assessment, "city": assessment.city,
            "campaign": report.campaign, "region": report.region, "benchmark": benchmark,
            "place": place, "previous": previous, "lines": lines,
            "answers": answer_lines(assessment), "language": report.language,
            "floor": benchmarks.PRIVACY_FLOOR, "made_at": timezone.now(),
            "table_body": charts.table_rows(lines, own=True),
            **city_charts(assessment, lines, prefix="pdf")}


@dataclass
class CityRow:
    city: str
    state: str
    overall: float | None
    scores: list[float | None]


def city_rows(campaign: Campaign, principles) -> list[CityRow]:
    """Every city of the campaign with its scores, in two queries."""
    scores: dict[int, dict[int, float]] = {}
    for assessment_id, principle_id, score in PrincipleScore.objects.filter(
            assessment__campaign=campaign).values_list("assessment_id", "principle_id", "score"):
        scores.setdefault(assessment_id, {})[principle_id] = score
    rows = []
    for pk, city, state, overall in (Assessment.objects.filter(campaign=campaign)
                                     .order_by("city__name", "pk")
                                     .values_list("pk", "city__name", "state", "overall_score")):
        own = scores.get(pk, {})
        rows.append(CityRow(city=city, state=Assessment.State(state).label, overall=overall,
                            scores=[own.get(p.pk) for p in principles]))
    return rows


def region_charts(benchmark, *, prefix: str = "region", title: str = "") -> str:
    return charts.box_plot([charts.BoxRow(row.label, row.figures) for row in benchmark.rows],
                           chart_id=f"{prefix}-distribution",
                           title=title or _("Scores of the region's cities by principle"))


def region_context(report: Report) -> dict:
    campaign = report.campaign
    principles = list(Principle.objects.all())
    benchmark = benchmarks.campaign_benchmark(campaign, principles=principles)
    states = dict(Assessment.objects.filter(campaign=campaign).order_by()
                  .values_list("state").annotate(n=Count("pk")))
    return {"report": report, "campaign": campaign, "region": report.region,
            "benchmark": benchmark, "principles": principles,
            "rows": city_rows(campaign, principles), "language": report.language,
            "states": [(label, states.get(value, 0))
                       for value, label in Assessment.State.choices],
            "floor": benchmarks.PRIVACY_FLOOR, "made_at": timezone.now(),
            "distribution": region_charts(benchmark, prefix="pdf"),
            "table_body": charts.table_rows(benchmark.rows)}
