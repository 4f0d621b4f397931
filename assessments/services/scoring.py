"""Scores: each principle 0-100 from the weights of the questions in its sections, and
overall. An answer stores what it earns (`points`: weight x share) and the weight it counts
for; scores are SQL sums of these, never a Python loop over answers. A hidden question, an
unanswered one and a question of an unscored kind count for nothing."""

from __future__ import annotations

from django.db.models import F, Sum

from ..conditions import answer_value, hidden_questions
from ..models import (
    MATURITY_LEVELS,
    YES_PARTIAL_NO_POINTS,
    Answer,
    Assessment,
    PrincipleScore,
    QuestionKind,
)
from ..queries import asked_questions, asked_sections


def share_of(question, answer) -> float | None:
    """The share of its weight an answer earns, None when it earns no score."""
    if answer is None or not question.is_scored:
        return None
    if question.kind == QuestionKind.YES_PARTIAL_NO:
        return YES_PARTIAL_NO_POINTS.get(answer.choice)
    if question.kind == QuestionKind.MATURITY and answer.choice.isdigit():
        return min(int(answer.choice), MATURITY_LEVELS) / MATURITY_LEVELS
    return None


def weigh(question, answer: Answer, *, shown: bool) -> None:
    """Set the answer's points and counted weight (not saved)."""
    share = share_of(question, answer) if shown else None
    weight = float(question.weight)
    answer.counted_weight = 0.0 if share is None else weight
    answer.points = 0.0 if share is None else weight * share


def reweigh(assessment: Assessment) -> list[Answer]:
    """Every answer weighed again against what is shown now (rules may have hidden some)."""
    questions = asked_questions(assessment)
    answers = {a.question_id: a for a in assessment.answers.all()}
    hidden = hidden_questions(asked_sections(assessment), questions,
                              {qid: answer_value(a) for qid, a in answers.items()})
    for question in questions:
        if question.pk in answers:
            weigh(question, answers[question.pk], shown=question.pk not in hidden)
    Answer.objects.bulk_update(list(answers.values()), ["points", "counted_weight"])
    return list(answers.values())


def store_scores(assessment: Assessment) -> dict[int, float]:
    """The assessment's principle scores and overall score, summed in SQL and stored.
    Returns {principle id: score}."""
    sums = (Answer.objects.filter(assessment=assessment, counted_weight__gt=0,
                                  question__section__principle__isnull=False)
            .values(principle=F("question__section__principle"))
            .annotate(points=Sum("points"), weight=Sum("counted_weight")))
    scores = {row["principle"]: 100 * row["points"] / row["weight"] for row in sums}
    PrincipleScore.objects.filter(assessment=assessment).delete()
    PrincipleScore.objects.bulk_create(
        PrincipleScore(region_id=assessment.region_id, assessment=assessment,
                       principle_id=principle, score=score)
        for principle, score in scores.items())
    total = Answer.objects.filter(assessment=assessment).aggregate(
        points=Sum("points"), weight=Sum("counted_weight"))
    assessment.overall_score = (100 * total["points"] / total["weight"]
                                if total["weight"] else None)
    assessment.save(update_fields=["overall_score"])
    return scores


def score(assessment: Assessment) -> dict[int, float]:
    """Weigh every answer again and store the scores (on submit and accept)."""
    reweigh(assessment)
    return store_scores(assessment)
