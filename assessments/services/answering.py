"""Answering a city's assessment: who may open it (and which of its sections), saving an
answer as the person types with conflict detection, the progress, and submitting it.

An answer carries a `revision`: a save names the revision it started from, and a save from
an older one is refused with the stored answer (`Conflict`), so the page warns and the
person chooses; nothing is silently overwritten. Every save runs with the assessment's row
locked: saves of one assessment, a submit and a review never interleave.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.models import UserObjectPermission

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import AuditEntry
from alliance.services import audit
from alliance.services.changes import locked
from alliance.uploads import MATERIAL_TYPES, check_upload
from cities.models import Contact

from ..conditions import answer_value, hidden_questions
from ..models import (
    MATURITY_LEVELS,
    YES_PARTIAL_NO_POINTS,
    Answer,
    Assessment,
    Campaign,
    Question,
    QuestionKind,
    Section,
    SectionAssignment,
)
from ..queries import asked_questions, asked_sections, questions_of_assessment
from . import scoring

TEXT_MAX = 10_000
EVIDENCE_MAX = 20 * 1024 * 1024
NUMBER_LIMIT = Decimal("1e14")
CHOICES = {
    QuestionKind.YES_PARTIAL_NO: tuple(YES_PARTIAL_NO_POINTS),
    QuestionKind.MATURITY: tuple(str(level) for level in range(MATURITY_LEVELS + 1)),
}
VALUE_FIELDS = ("choice", "number", "text", "evidence_url", "evidence_file")


# -- who opens an assessment --------------------------------------------------------------------

CONTACT = "contact"
COLLEAGUE = "colleague"
SECRETARIAT = "secretariat"
READER = "reader"


@dataclass(frozen=True)
class Access:
    """What one person may do with one assessment. A colleague sees only `section_ids`."""

    kind: str
    section_ids: frozenset[int] | None = None

    @property
    def may_answer(self) -> bool:
        return self.kind in (CONTACT, COLLEAGUE)

    @property
    def may_submit(self) -> bool:
        return self.kind == CONTACT

    @property
    def may_assign(self) -> bool:
        return self.kind == CONTACT

    @property
    def may_review(self) -> bool:
        return self.kind == SECRETARIAT

    @property
    def may_clarify(self) -> bool:
        return self.kind != READER

    @property
    def is_city(self) -> bool:
        return self.kind in (CONTACT, COLLEAGUE)

    def sees(self, section_id: int) -> bool:
        return self.section_ids is None or section_id in self.section_ids


def is_contact_of(user, assessment: Assessment) -> bool:
    return (permissions.can(user, "assessments.answer", region=assessment.region)
            and Contact.objects.filter(city_id=assessment.city_id, user=user).exists())


def granted_assignments(user) -> list[int]:
    """Ids of the section assignments the user holds the grant on (django-guardian's rows,
    read in one query)."""
    return [int(pk) for pk in UserObjectPermission.objects.filter(
        user=user, permission__codename="answer_section",
        content_type__app_label="assessments", content_type__model="sectionassignment",
    ).values_list("object_pk", flat=True)]


def assignments_of(user):
    """The user's open assignments that carry the grant."""
    return SectionAssignment.objects.filter(assignee=user, removed_at=None,
                                            pk__in=granted_assignments(user))


def open_assignments(user, assessment: Assessment):
    return assignments_of(user).filter(assessment=assessment)


def access_of(user, assessment: Assessment) -> Access | None:
    """None: the assessment does not exist for this person (the page answers 404)."""
    if not user.is_authenticated:
        return None
    region = assessment.region
    if permissions.can(user, "assessments.review", region=region):
        return Access(SECRETARIAT)
    if is_contact_of(user, assessment):
        return Access(CONTACT)
    if permissions.can(user, "assessments.view_campaigns", region=region):
        return Access(READER)
    sections = frozenset(open_assignments(user, assessment).values_list("section_id", flat=True))
    return Access(COLLEAGUE, sections) if sections else None


def require_access(user, assessment: Assessment) -> Access:
    access = access_of(user, assessment)
    if access is None:
        raise PermissionDenied(_("Your role does not allow this here."))
    return access


# -- what is asked, shown and answered ----------------------------------------------------------

@dataclass
class Sheet:
    """An assessment's questions as one person sees them: its sections and questions in
    questionnaire order, the stored answers, which are hidden by their rules, and the
    progress (required visible questions answered)."""

    sections: list[Section]
    questions: list[Question]
    answers: dict[int, Answer]
    hidden: set[int]

    @property
    def required(self) -> list[Question]:
        return [q for q in self.questions if q.required and q.pk not in self.hidden]

    def is_answered(self, question: Question) -> bool:
        answer = self.answers.get(question.pk)
        return answer is not None and not answer.is_blank

    @property
    def missing(self) -> list[Question]:
        return [q for q in self.required if not self.is_answered(q)]

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.required if self.is_answered(q))

    @property
    def percent(self) -> int:
        required = len(self.required)
        return round(100 * self.answered_count / required) if required else 100


def sheet_of(assessment: Assessment, access: Access | None = None, *,
             answers=None) -> Sheet:
    """Three queries: sections, questions, answers (with who answered)."""
    sections = asked_sections(assessment)
    questions = asked_questions(assessment)
    if answers is None:
        answers = assessment.answers.select_related("answered_by")
    stored = {answer.question_id: answer for answer in answers}
    hidden = hidden_questions(sections, questions,
                              {qid: answer_value(a) for qid, a in stored.items()})
    if access is not None and access.section_ids is not None:
        sections = [s for s in sections if s.pk in access.section_ids]
        questions = [q for q in questions if q.section_id in access.section_ids]
    return Sheet(sections, questions, stored, hidden)


# -- saving an answer ---------------------------------------------------------------------------

class Conflict(DomainError):
    """Someone saved this answer after the revision the person started from."""

    def __init__(self, answer: Answer):
        who = str(answer.answered_by) if answer.answered_by_id else _("Someone")
        super().__init__(_("%(who)s changed this answer while you were editing it.")
                         % {"who": who})
        self.answer = answer


def is_open(assessment: Assessment) -> bool:
    """Open to answers: not submitted or accepted (a returned one is open again), in a
    campaign that is not closed."""
    return (assessment.is_open_to_answers
            and assessment.campaign.state != Campaign.State.CLOSED)


def require_open(assessment: Assessment) -> None:
    if assessment.campaign.state == Campaign.State.CLOSED:
        raise InvalidTransition(_("The %(year)s campaign is closed: its answers can no longer "
                                  "be changed.") % {"year": assessment.campaign.year})
    if not assessment.is_open_to_answers:
        raise InvalidTransition(
            _("This assessment is %(state)s: its answers can no longer be changed.")
            % {"state": assessment.state_label.lower()})


def clean_value(question: Question, value: dict) -> dict:
    """The fields of `value` that this kind of question takes, checked; a DomainError
    naming the field otherwise."""
    unknown = set(value) - set(VALUE_FIELDS) - {"remove_file"}
    if unknown:
        raise DomainError(_("Unknown field: %(name)s.") % {"name": ", ".join(sorted(unknown))})
    kind = question.kind
    cleaned = {}
    if kind in CHOICES and "choice" in value:
        choice = str(value.get("choice") or "").strip()
        if choice and choice not in CHOICES[kind]:
            raise DomainError(_("Choose one of the answers offered."), field="choice")
        cleaned["choice"] = choice
    elif kind == QuestionKind.NUMBER and "number" in value:
        cleaned["number"] = _number(value.get("number"))
    if "text" in value:
        text = str(value.get("text") or "")
        if len(text) > TEXT_MAX:
            raise DomainError(_("Write at most %(n)s characters.") % {"n": TEXT_MAX},
                              field="text")
        cleaned["text"] = text
    if kind == QuestionKind.EVIDENCE:
        if "evidence_url" in value:
            url = str(value.get("evidence_url") or "").strip()
            if url:
                try:
                    URLValidator(schemes=["http", "https"])(url)
                except ValidationError:
                    raise DomainError(_("Enter a web address starting with https://."),
                                      field="evidence_url") from None
                if len(url) > 500:
                    raise DomainError(_("This web address is too long."), field="evidence_url")
            cleaned["evidence_url"] = url
        upload = value.get("evidence_file")
        if upload:
            try:
                check_upload(upload, allowed=MATERIAL_TYPES, max_bytes=EVIDENCE_MAX)
            except DomainError as error:
                raise DomainError(error.message, field="evidence_file") from None
            cleaned["evidence_file"] = upload
        elif value.get("remove_file"):
            cleaned["evidence_file"] = None
    return cleaned


def _number(raw) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = Decimal(str(raw).strip().replace(",", "")) if not isinstance(
            raw, Decimal) else raw
    except InvalidOperation:
        raise DomainError(_("Enter a number."), field="number") from None
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        raise DomainError(_("Enter a number."), field="number")
    return number.quantize(Decimal("0.0001"))


def save_answer(*, actor, assessment: Assessment, question: Question, revision: int,
                **value) -> Answer:
    """Save what `actor` wrote for `question`, from the answer's `revision` they started
    with (0: none yet). Refused with `Conflict` (carrying the stored answer) when it has a
    newer revision; to keep one's own, save again naming that revision. A DomainError names
    the field of bad input."""
    saved, refused = save_answers(actor=actor, assessment=assessment,
                                  entries=[(question, revision, value)])
    if refused:
        raise refused[question.pk]
    return saved[0]


@transaction.atomic
def save_answers(*, actor, assessment: Assessment,
                 entries: list[tuple[Question, int, dict]]) -> tuple[list[Answer], dict]:
    """Save several answers at once (a section's form): each from its own revision. Returns
    the saved answers and {question id: the DomainError (or Conflict) refusing it}; the
    others are saved. Raises PermissionDenied, or InvalidTransition when the assessment is
    closed to answers."""
    access = require_access(actor, assessment)
    if not access.may_answer or not all(access.sees(q.section_id) for q, _r, _v in entries):
        raise PermissionDenied(_("Your role does not allow this here."))
    asked = set(questions_of_assessment(assessment).filter(
        pk__in=[q.pk for q, _r, _v in entries]).values_list("pk", flat=True))
    refused: dict[int, DomainError] = {}
    cleaned: dict[int, dict] = {}
    for question, _revision, value in entries:
        try:
            if question.pk not in asked:
                raise DomainError(_("This question is not part of this assessment."))
            cleaned[question.pk] = clean_value(question, value)
        except DomainError as error:
            refused[question.pk] = error
    row = locked(assessment, "region", "campaign")
    require_open(row)
    if not cleaned:
        return [], refused
    stored = {a.question_id: a for a in Answer.objects.select_for_update(of=("self",))
              .select_related("answered_by").filter(assessment=row, question__in=list(cleaned))}
    now = timezone.now()
    changed: list[tuple[Question, Answer, str]] = []
    for question, revision, _value in entries:
        if question.pk not in cleaned:
            continue
        answer = stored.get(question.pk)
        if answer is not None and answer.revision > revision:
            refused[question.pk] = Conflict(answer)
            continue
        if answer is None:
            answer = Answer(region_id=row.region_id, assessment=row, question=question)
        old_file = answer.evidence_file.name if answer.evidence_file else ""
        _apply(answer, cleaned[question.pk])
        answer.revision = (answer.revision or 0) + 1
        answer.answered_by = actor
        answer.updated_at = now
        changed.append((question, answer, old_file))
    if not changed:
        return [], refused
    _weigh(row, [(question, answer) for question, answer, _old in changed])
    for _question, answer, old_file in changed:
        answer.save()
        if old_file and old_file != (answer.evidence_file.name or ""):
            storage = answer.evidence_file.storage
            transaction.on_commit(lambda old=old_file, storage=storage: storage.delete(old))
    first_by_actor = not AuditEntry.objects.filter(
        action="assessments.assessment.answered", actor=actor,
        content_type__model="assessment", object_id=row.pk).exists()
    _touch(actor, row, now)
    if first_by_actor:
        audit.record(actor=actor, action="assessments.assessment.answered", target=row,
                     region=row.region, question=Truncator(changed[0][0].text).chars(90))
    if _is_a_condition([question.pk for question, _a, _o in changed]):
        scoring.reweigh(row)
    return [answer for _q, answer, _o in changed], refused


def _apply(answer: Answer, cleaned: dict) -> None:
    for field, new in cleaned.items():
        if field != "evidence_file":
            setattr(answer, field, new)
        elif new is None:
            answer.evidence_file = ""
            answer.evidence_name = ""
        else:
            answer.evidence_name = new.name[:200]
            answer.evidence_file.save(new.name, new, save=False)


def _weigh(assessment: Assessment, saved: list[tuple[Question, Answer]]) -> None:
    """The answers' points as things stand with them saved: their rules may hide them."""
    sections = asked_sections(assessment)
    questions = asked_questions(assessment)
    mine = {question.pk for question, _answer in saved}
    values = {a.question_id: answer_value(a) for a in Answer.objects.filter(
        assessment=assessment).exclude(question__in=mine).only(
        "question", "choice", "number", "text")}
    values.update({question.pk: answer_value(answer) for question, answer in saved})
    hidden = hidden_questions(sections, questions, values)
    for question, answer in saved:
        scoring.weigh(question, answer, shown=question.pk not in hidden)


def _is_a_condition(question_ids: list[int]) -> bool:
    return (Question.objects.filter(shown_if__in=question_ids).exists()
            or Section.objects.filter(shown_if__in=question_ids).exists())


def _touch(actor, assessment: Assessment, now) -> None:
    """The first save starts the assessment; every save is activity."""
    fields = ["last_activity_at"]
    assessment.last_activity_at = now
    if assessment.state == Assessment.State.NOT_STARTED:
        assessment.state = Assessment.State.IN_PROGRESS
        fields.append("state")
        audit.record(actor=actor, action="assessments.assessment.started", target=assessment,
                     region=assessment.region)
    assessment.save(update_fields=fields)


# -- submitting ---------------------------------------------------------------------------------

class Incomplete(DomainError):
    """Required visible questions are unanswered: `missing` lists them."""

    def __init__(self, missing: list[Question]):
        super().__init__(ngettext("%(n)s required question is not answered yet.",
                                  "%(n)s required questions are not answered yet.",
                                  len(missing)) % {"n": len(missing)})
        self.missing = missing


@transaction.atomic
def submit(*, actor, assessment: Assessment) -> Assessment:
    """Check every required visible answer (rules applied to the stored answers), then
    submit: the scores are computed and the region's secretariat told."""
    access = require_access(actor, assessment)
    if not access.may_submit:
        raise PermissionDenied(_("Only the city's contact submits the assessment."))
    row = locked(assessment, "region", "campaign", "city")
    require_open(row)
    sheet = sheet_of(row)
    if sheet.missing:
        raise Incomplete(sheet.missing)
    again = row.state == Assessment.State.RETURNED
    row.state = Assessment.State.SUBMITTED
    row.submitted_at = row.last_activity_at = timezone.now()
    row.save(update_fields=["state", "submitted_at", "last_activity_at"])
    # The city answered the comments of the return: they are the secretariat's to judge now.
    row.review_comments.filter(resolved_at=None).update(resolved_at=row.submitted_at)
    scoring.score(row)
    audit.record(actor=actor, action="assessments.assessment.resubmitted" if again
                 else "assessments.assessment.submitted", target=row, region=row.region)
    from .review import tell_secretariat

    tell_secretariat(row, again=again)
    return row


def pending_review_comments(assessment: Assessment):
    """The latest return's comments, while the city has not resubmitted."""
    return assessment.review_comments.filter(resolved_at=None)



# -- clarifications -----------------------------------------------------------------------------

CLARIFICATION_MAX = 4000


@transaction.atomic
def clarify(*, actor, assessment: Assessment, question: Question, body: str):
    """A message in the question's thread between the city and the secretariat; the other
    side is told (in the portal and by email)."""
    from ..models import Clarification
    from .review import tell_about_clarification

    access = require_access(actor, assessment)
    if not access.may_clarify or not access.sees(question.section_id):
        raise PermissionDenied(_("Your role does not allow this here."))
    if not questions_of_assessment(assessment).filter(pk=question.pk).exists():
        raise DomainError(_("This question is not part of this assessment."))
    body = body.strip()
    if not body:
        raise DomainError(_("Write a message."), field="body")
    if len(body) > CLARIFICATION_MAX:
        raise DomainError(_("Write at most %(n)s characters.") % {"n": CLARIFICATION_MAX},
                          field="body")
    message = Clarification.objects.create(
        region_id=assessment.region_id, assessment=assessment, question=question,
        author=actor, from_secretariat=access.kind == SECRETARIAT, body=body)
    audit.record(actor=actor, action="assessments.assessment.clarification", target=assessment,
                 region=assessment.region, question=Truncator(question.text).chars(90))
    tell_about_clarification(message, question=question)
    return message
