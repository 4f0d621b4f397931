"""The secretariat's review of a submitted assessment: accept it, or return it to the city with
comments on particular questions (a numbered round, kept with the earlier ones); and the
notices each side receives (submission, return, acceptance, clarifications)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Role
from alliance.services import audit
from alliance.services.changes import locked
from alliance.services.notifications import in_language_of, notify

from ..models import Assessment, Question, ReviewComment
from ..queries import questions_of_assessment
from . import scoring

COMMENT_MAX = 4000


def _page(assessment: Assessment, name: str = "assessment-detail") -> str:
    return reverse(name, kwargs={"region_slug": assessment.region.slug,
                                 "assessment_id": assessment.pk})


def secretaries_of(region):
    return get_user_model().objects.filter(
        memberships__region=region, memberships__role=Role.REGIONAL_SECRETARIAT,
        is_active=True).distinct()


def contacts_of(assessment: Assessment):
    """The accounts linked to the city's contacts."""
    return get_user_model().objects.filter(
        city_contacts__city_id=assessment.city_id, is_active=True).distinct()


def _tell(people, *, assessment: Assessment, key: str, subject, template: str, url: str,
          **context) -> None:
    for person in people:
        with in_language_of(person, assessment.region):
            words = {"city": assessment.city.name, "year": assessment.campaign.year}
            body = render_to_string(template, {
                "assessment": assessment, "url": url, "base_url": settings.PORTAL_BASE_URL,
                "recipient": person, **context})
            notify(recipient=person, key=f"{key}:{person.pk}", subject=str(subject) % words,
                   body=body, url=url, region=assessment.region)


def tell_secretariat(assessment: Assessment, *, again: bool) -> None:
    subject = (_("%(city)s resubmitted its %(year)s policy assessment") if again
               else _("%(city)s submitted its %(year)s policy assessment"))
    # One notice per submission: the first, then one after each return (its round).
    _tell(secretaries_of(assessment.region), assessment=assessment,
          key=f"assessment:{assessment.pk}:submitted:{current_round(assessment)}",
          subject=subject,
          template="assessments/email/assessment_submitted.txt",
          url=_page(assessment, "assessment-review"), again=again)


def current_round(assessment: Assessment) -> int:
    return assessment.review_comments.aggregate(n=Max("round"))["n"] or 0


def _require_reviewable(actor, assessment: Assessment) -> Assessment:
    permissions.require(actor, "assessments.review", region=assessment.region)
    row = locked(assessment, "region", "campaign", "city")
    if row.state != Assessment.State.SUBMITTED:
        raise InvalidTransition(_("Only a submitted assessment can be reviewed; this one is "
                                  "%(state)s.") % {"state": row.state_label.lower()})
    return row


@transaction.atomic
def return_to_city(*, actor, assessment: Assessment, comments: dict[int, str]) -> list:
    """Back to the city with `comments` {question id: text} (at least one): the comments
    of this round, the state returned, the contacts told with the comments."""
    comments = {qid: text.strip() for qid, text in comments.items() if text and text.strip()}
    if not comments:
        raise DomainError(_("Write a comment on at least one question to say what to fix."),
                          field="comments")
    if any(len(text) > COMMENT_MAX for text in comments.values()):
        raise DomainError(_("Write at most %(n)s characters in a comment.") % {"n": COMMENT_MAX},
                          field="comments")
    row = _require_reviewable(actor, assessment)
    questions = {q.pk: q for q in questions_of_assessment(row).filter(pk__in=list(comments))}
    if len(questions) != len(comments):
        raise DomainError(_("A comment names a question not in this assessment."),
                          field="comments")
    number = current_round(row) + 1
    now = timezone.now()
    row.review_comments.filter(resolved_at=None).update(resolved_at=now)
    made = ReviewComment.objects.bulk_create(
        ReviewComment(region_id=row.region_id, assessment=row, question=questions[qid],
                      round=number, body=text, author=actor, created_at=now)
        for qid, text in sorted(comments.items(),
                                key=lambda item: (questions[item[0]].section_id,
                                                  questions[item[0]].position)))
    row.state = Assessment.State.RETURNED
    row.save(update_fields=["state"])
    audit.record(actor=actor, action="assessments.assessment.returned", target=row,
                 region=row.region, count=len(made), round=number)
    listed = [(questions[c.question_id], c.body) for c in made]
    _tell(contacts_of(row), assessment=row, key=f"assessment:{row.pk}:returned:{number}",
          subject=_("%(city)s: your %(year)s policy assessment needs changes"),
          template="assessments/email/assessment_returned.txt", url=_page(row),
          comments=listed)
    return made


@transaction.atomic
def accept(*, actor, assessment: Assessment) -> Assessment:
    row = _require_reviewable(actor, assessment)
    row.state = Assessment.State.ACCEPTED
    row.accepted_at = timezone.now()
    row.save(update_fields=["state", "accepted_at"])
    row.review_comments.filter(resolved_at=None).update(resolved_at=row.accepted_at)
    scoring.score(row)
    audit.record(actor=actor, action="assessments.assessment.accepted", target=row,
                 region=row.region)
    _tell(contacts_of(row), assessment=row, key=f"assessment:{row.pk}:accepted",
          subject=_("%(city)s: your %(year)s policy assessment is accepted"),
          template="assessments/email/assessment_accepted.txt", url=_page(row))
    return row


def tell_about_clarification(message, *, question: Question) -> None:
    """A clarification reaches the other side: the secretariat's the city's contacts (and
    the colleague of the question's section), the city's the region's secretariat."""
    assessment = message.assessment
    if message.from_secretariat:
        people = list(contacts_of(assessment))
        from ..models import SectionAssignment

        people += [a.assignee for a in SectionAssignment.objects.filter(
            assessment=assessment, section_id=question.section_id, removed_at=None,
            assignee__isnull=False).select_related("assignee")]
        url = _page(assessment)
    else:
        people = list(secretaries_of(assessment.region))
        url = _page(assessment, "assessment-review")
    seen = set()
    people = [p for p in people if p.pk != message.author_id and not (
        p.pk in seen or seen.add(p.pk))]
    _tell(people, assessment=assessment, key=f"clarification:{message.pk}",
          subject=_("%(city)s: a question about the policy assessment"),
          template="assessments/email/assessment_clarification.txt",
          url=f"{url}?section={question.section_id}#question-{question.pk}", message=message,
          question=question)
