"""The questionnaire builder: questionnaires, their versions, sections and questions.

A version is built while it is a draft and frozen once published: every service here that
changes a version, its sections, questions, rules or translations locks the version row and
refuses when it is published (answers keep the question they answered). "New draft from this
version" copies a version whole, rules remapped to the copies.

Rules (Conditional) name an earlier question of the same version; every write that could
break that (an added or edited rule, a move) is checked after it is made, inside its
transaction, so a refused change leaves nothing behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.services import audit
from alliance.services.changes import locked, save_locked

from ..models import (
    MATURITY_LEVELS,
    YES_PARTIAL_NO_POINTS,
    Condition,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from .roadmap import translation_languages

SECTION_RULE_TOO_LATE = gettext_lazy(
    "A section's rule can only name a question of an earlier section; %(name)s is not.")
RULE_TOO_LATE = gettext_lazy(
    "A rule can only name an earlier question; %(name)s is this one or comes after it.")

MANAGE = "assessments.manage_questionnaires"
NAME = re.compile(r"^[A-Za-z_][-A-Za-z0-9_]*$")
RULE = ("shown_if", "operator", "value")
SECTION_FIELDS = ("name", "title", "principle", "model_policy", *RULE)
QUESTION_FIELDS = ("name", "kind", "text", "hint", "weight", "required", "in_simplified", *RULE)
UP, DOWN = "up", "down"
# What a translation covers: a section's title, a question's text and (when it has one) hint.
SECTION_TRANSLATED = ("title",)
QUESTION_TRANSLATED = ("text", "hint")


def _require(actor) -> None:
    permissions.require(actor, MANAGE, region=None)


def _locked_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version, locked (edits of one version happen one at a time), if still a draft."""
    row = locked(version, "questionnaire")
    if row.state != QuestionnaireVersion.State.DRAFT:
        raise InvalidTransition(_("Version %(number)s is published and never changes: make a "
                                  "new draft from it to edit.") % {"number": row.number})
    return row


# -- questionnaires and versions ------------------------------------------------------------

def create_questionnaire(*, actor, name: str, description: str = "") -> Questionnaire:
    """A questionnaire and its first, empty draft version."""
    _require(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the questionnaire a name."), field="name")
    with transaction.atomic():
        if Questionnaire.objects.filter(name__iexact=name).exists():
            raise DomainError(_("A questionnaire of this name exists already."), field="name")
        questionnaire = Questionnaire.objects.create(name=name, description=description.strip())
        version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1,
                                                      created_by=actor)
        audit.record(actor=actor, action="assessments.questionnaire.created",
                     target=questionnaire, name=name)
        audit.record(actor=actor, action="assessments.version.created", target=version,
                     number=1)
    return questionnaire


def next_number(questionnaire: Questionnaire) -> int:
    top = QuestionnaireVersion.objects.filter(questionnaire=questionnaire).aggregate(
        top=Max("number"))["top"]
    return (top or 0) + 1


def new_draft(*, actor, version: QuestionnaireVersion, note: str = "") -> QuestionnaireVersion:
    """A new draft copied from `version` (published or not): its sections, questions,
    translations and rules, each rule naming the copy of the question it named."""
    _require(actor)
    with transaction.atomic():
        # Lock the questionnaire: two drafts made at once would take the same number.
        questionnaire = locked(version.questionnaire)
        draft = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=next_number(questionnaire), based_on=version,
            created_by=actor, note=note.strip())
        copy_contents(source=version, target=draft)
        audit.record(actor=actor, action="assessments.version.created", target=draft,
                     number=draft.number, based_on=version.number)
    return draft


def copy_contents(*, source: QuestionnaireVersion, target: QuestionnaireVersion) -> None:
    sections = list(Section.objects.filter(version=source).order_by("position", "id"))
    questions = list(Question.objects.filter(section__version=source)
                     .order_by("section__position", "section_id", "position", "id"))
    section_copies = Section.objects.bulk_create(
        Section(version=target, position=s.position, name=s.name, title=s.title,
                translations=s.translations, principle_id=s.principle_id,
                model_policy_id=s.model_policy_id, operator=s.operator, value=s.value)
        for s in sections)
    new_section = {s.pk: copy.pk for s, copy in zip(sections, section_copies, strict=True)}
    question_copies = Question.objects.bulk_create(
        Question(section_id=new_section[q.section_id], position=q.position, name=q.name,
                 kind=q.kind, text=q.text, hint=q.hint, translations=q.translations,
                 weight=q.weight, required=q.required, in_simplified=q.in_simplified,
                 operator=q.operator, value=q.value)
        for q in questions)
    new_question = {q.pk: copy.pk for q, copy in zip(questions, question_copies, strict=True)}
    # Rules last: they name questions that exist only now.
    remap = [(copy, original.shown_if_id)
             for original, copy in zip(questions, question_copies, strict=True)
             if original.shown_if_id]
    for copy, shown_if in remap:
        copy.shown_if_id = new_question[shown_if]
    Question.objects.bulk_update([copy for copy, _s in remap], ["shown_if"])
    section_rules = [(copy, original.shown_if_id)
                     for original, copy in zip(sections, section_copies, strict=True)
                     if original.shown_if_id]
    for copy, shown_if in section_rules:
        copy.shown_if_id = new_question[shown_if]
    Section.objects.bulk_update([copy for copy, _s in section_rules], ["shown_if"])


class NotPublishable(DomainError):
    """What keeps a draft from being published, every reason listed in `problems`."""

    def __init__(self, problems: list[str]):
        super().__init__(_("This version cannot be published yet: %(problems)s")
                         % {"problems": " ".join(problems)})
        self.problems = problems


def publication_problems(version: QuestionnaireVersion, *, sections=None, questions=None
                         ) -> list[str]:
    """What keeps the draft from being published; `sections` and `questions` (in order)
    when the caller read them already."""
    if sections is None or questions is None:
        sections = list(Section.objects.filter(version=version).order_by("position", "id"))
        questions = list(Question.objects.filter(section__version=version)
                         .order_by("section__position", "section_id", "position", "id"))
    if not questions:
        return [_("Add at least one question.")]
    return [f"{row.name}: {message}" for row, _field, message
            in problems_of(sections, questions)]


def publish_version(*, actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Freeze the draft: from now on campaigns may use it and nothing in it changes."""
    _require(actor)
    with transaction.atomic():
        row = _locked_draft(version)
        problems = publication_problems(row)
        if problems:
            raise NotPublishable(problems)
        row.state = QuestionnaireVersion.State.PUBLISHED
        row.published_by, row.published_at = actor, timezone.now()
        row.save(update_fields=["state", "published_by", "published_at"])
        audit.record(actor=actor, action="assessments.version.published", target=row,
                     number=row.number)
    return row


def update_version_note(*, actor, version: QuestionnaireVersion, note: str
                        ) -> QuestionnaireVersion:
    _require(actor)
    with transaction.atomic():
        row = _locked_draft(version)
        row, _changed = save_locked(actor=actor, row=row, changes={"note": note.strip()},
                                    editable=("note",), action="assessments.version.changed")
    return row


# -- rules ------------------------------------------------------------------------------------

def rule_problems(version: QuestionnaireVersion) -> list[tuple[object, str, str]]:
    """(section or question, field, message) for every rule of the version that does not
    name an earlier question of it, or compares in a way its question cannot answer."""
    sections = list(Section.objects.filter(version=version).order_by("position", "id"))
    questions = list(Question.objects.filter(section__version=version)
                     .order_by("section__position", "section_id", "position", "id"))
    return problems_of(sections, questions)


def problems_of(sections: list[Section], questions: list[Question]
                ) -> list[tuple[object, str, str]]:
    """rule_problems of rows already read: `sections` and `questions` in questionnaire
    order. A section's rule names a question of an earlier section, a question's an earlier
    question."""
    section_rank = {s.pk: n for n, s in enumerate(sections)}
    question_rank = {q.pk: n for n, q in enumerate(questions)}
    by_id = {q.pk: q for q in questions}

    def before_section(named: Question, section: Section) -> bool:
        return section_rank[named.section_id] < section_rank[section.pk]

    def before_question(named: Question, question: Question) -> bool:
        return question_rank[named.pk] < question_rank[question.pk]

    problems = []
    for rows, is_earlier, too_late in ((sections, before_section, SECTION_RULE_TOO_LATE),
                                       (questions, before_question, RULE_TOO_LATE)):
        for row in rows:
            if row.shown_if_id:
                problems += _rule_problems(row, by_id.get(row.shown_if_id), is_earlier,
                                           too_late)
    return problems


def _rule_problems(row, named: Question | None, is_earlier, too_late
                   ) -> list[tuple[object, str, str]]:
    if named is None:
        return [(row, "shown_if", _("The rule names a question of another version."))]
    if not is_earlier(named, row):
        return [(row, "shown_if", too_late % {"name": named.name})]
    return [(row, f, m) for f, m in _comparison_problems(row, named)]


def _comparison_problems(rule, named: Question) -> list[tuple[str, str]]:
    return [(f, m) for f, m in [comparison_problem(named.kind, rule.operator, rule.value)] if m]


def comparison_problem(kind: str, operator: str, value: str) -> tuple[str, str]:
    """("field", message) when `operator value` cannot be compared with an answer of
    `kind`, ("", "") when it can."""
    if operator not in Condition.values:
        return "operator", _("Choose how the answer is compared.")
    if value == "":
        return "value", _("Say which answer shows it.")
    ordered = operator in (Condition.AT_LEAST, Condition.AT_MOST)
    if kind == QuestionKind.YES_PARTIAL_NO:
        if ordered:
            return "operator", _("A yes/partly/no answer is compared with = or !=.")
        if value not in YES_PARTIAL_NO_POINTS:
            return "value", _("Use yes, partial or no.")
    elif kind == QuestionKind.MATURITY:
        if value not in {str(level) for level in range(MATURITY_LEVELS + 1)}:
            return "value", _("Use a maturity level from 0 to %(top)s.") % {"top": MATURITY_LEVELS}
    elif kind == QuestionKind.NUMBER:
        if not _is_number(value):
            return "value", _("Use a number.")
    elif kind == QuestionKind.EVIDENCE:
        return "shown_if", _("An evidence answer (a file or link) cannot be compared.")
    elif ordered:
        return "operator", _("A text answer is compared with = or !=.")
    return "", ""


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _normalize_rule(changes: dict) -> None:
    """No question named: no rule at all (the operator and value are cleared)."""
    if "shown_if" in changes:
        if changes["shown_if"] is None:
            changes["operator"], changes["value"] = "", ""
        else:
            changes["value"] = str(changes.get("value") or "").strip()


def _check_rules_of(version: QuestionnaireVersion, row=None) -> None:
    """Refuse (the transaction's changes undone) when a rule of the version is not valid:
    on `row`'s own field when its rule is the one, else naming the row whose rule broke."""
    problems = rule_problems(version)
    if not problems:
        return
    for problem_row, field_name, message in problems:
        if row is not None and type(problem_row) is type(row) and problem_row.pk == row.pk:
            raise DomainError(message, field=field_name)
    first_row, _field, message = problems[0]
    raise DomainError(_("%(name)s: %(message)s") % {"name": first_row.name, "message": message})


# -- sections ---------------------------------------------------------------------------------

def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME.match(name):
        raise DomainError(_("Use letters, digits, - and _, starting with a letter: "
                            "the spreadsheet's name column."), field="name")
    return name


def _check_section_name(version, name: str, exclude: int | None = None) -> str:
    name = _check_name(name)
    if Section.objects.filter(version=version, name=name).exclude(pk=exclude).exists():
        raise DomainError(_("Another section of this version is named %(name)s.")
                          % {"name": name}, field="name")
    return name


def add_section(*, actor, version: QuestionnaireVersion, name: str, title: str,
                principle=None, model_policy=None, shown_if=None, operator: str = "",
                value: str = "") -> Section:
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(version)
        fields = {"name": _check_section_name(version, name), "title": title.strip(),
                  "principle": principle, "model_policy": model_policy, "shown_if": shown_if,
                  "operator": operator, "value": value}
        _normalize_rule(fields)
        top = Section.objects.filter(version=version).aggregate(top=Max("position"))["top"]
        section = Section.objects.create(version=version, position=(top or 0) + 1, **fields)
        _check_rules_of(version, section)
        audit.record(actor=actor, action="assessments.section.added", target=version,
                     name=section.name)
    return section


def update_section(*, actor, section: Section, **changes) -> Section:
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(section.version)
        if "name" in changes:
            changes["name"] = _check_section_name(version, changes["name"], exclude=section.pk)
        if "title" in changes:
            changes["title"] = changes["title"].strip()
        _normalize_rule(changes)
        row = locked(section)
        row, _changed = save_locked(actor=actor, row=row, changes=changes,
                                    editable=SECTION_FIELDS, target=version,
                                    action="assessments.section.changed", name=row.name)
        _check_rules_of(version, row)
    return row


def delete_section(*, actor, section: Section) -> None:
    """With its questions; refused while a rule elsewhere names one of them."""
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(section.version)
        inside = Question.objects.filter(section=section)
        outside = [*Question.objects.filter(shown_if__in=inside).exclude(section=section)
                   .values_list("name", flat=True),
                   *Section.objects.filter(shown_if__in=inside).exclude(pk=section.pk)
                   .values_list("name", flat=True)]
        if outside:
            raise DomainError(_("Rules of %(names)s name questions of this section: change "
                                "them first.") % {"names": ", ".join(sorted(outside))})
        # Its own rules go with it (shown_if protects the questions they name).
        inside.update(shown_if=None)
        Section.objects.filter(pk=section.pk).update(shown_if=None)
        name = section.name
        section.delete()
        audit.record(actor=actor, action="assessments.section.deleted", target=version,
                     name=name)


def move_section(*, actor, section: Section, direction: str) -> Section:
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(section.version)
        siblings = list(Section.objects.filter(version=version).order_by("position", "id"))
        _swap(siblings, section.pk, direction)
        Section.objects.bulk_update(siblings, ["position"])
        _check_rules_of(version, None)
        audit.record(actor=actor, action="assessments.section.moved", target=version,
                     name=section.name, direction=direction)
    return section


def _swap(rows: list, pk: int, direction: str) -> None:
    """Renumber `rows` in order with `pk` moved one place up or down."""
    index = next(n for n, row in enumerate(rows) if row.pk == pk)
    other = index - 1 if direction == UP else index + 1
    if direction not in (UP, DOWN) or not 0 <= other < len(rows):
        raise DomainError(_("It is already at the %(end)s.")
                          % {"end": _("top") if direction == UP else _("bottom")})
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position


# -- questions --------------------------------------------------------------------------------

def _check_question(version, changes: dict, exclude: int | None = None) -> None:
    if "name" in changes:
        name = changes["name"] = _check_name(changes["name"])
        if (Question.objects.filter(section__version=version, name=name).exclude(pk=exclude)
                .exists()):
            raise DomainError(_("Another question of this version is named %(name)s.")
                              % {"name": name}, field="name")
    if "kind" in changes and changes["kind"] not in QuestionKind.values:
        raise DomainError(_("Choose a kind of question."), field="kind")
    if "text" in changes:
        changes["text"] = changes["text"].strip()
        if not changes["text"]:
            raise DomainError(_("Write the question."), field="text")
    if "hint" in changes:
        changes["hint"] = (changes["hint"] or "").strip()
    if "weight" in changes:
        try:
            weight = Decimal(str(changes["weight"]))
        except InvalidOperation:
            weight = None
        if weight is None or not weight.is_finite() or weight < 0 or weight >= 1000:
            raise DomainError(_("Use a weight from 0 to 999.99."), field="weight")
        changes["weight"] = weight.quantize(Decimal("0.01"))
    _normalize_rule(changes)


def add_question(*, actor, section: Section, name: str, kind: str, text: str, hint: str = "",
                 weight=1, required: bool = True, in_simplified: bool = True, shown_if=None,
                 operator: str = "", value: str = "") -> Question:
    """At the end of its section."""
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(section.version)
        fields = {"name": name, "kind": kind, "text": text, "hint": hint, "weight": weight,
                  "required": required, "in_simplified": in_simplified, "shown_if": shown_if,
                  "operator": operator, "value": value}
        _check_question(version, fields)
        top = Question.objects.filter(section=section).aggregate(top=Max("position"))["top"]
        question = Question.objects.create(section=section, position=(top or 0) + 1, **fields)
        _check_rules_of(version, question)
        audit.record(actor=actor, action="assessments.question.added", target=version,
                     name=question.name)
    return question


def update_question(*, actor, question: Question, **changes) -> Question:
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(question.section.version)
        _check_question(version, changes, exclude=question.pk)
        row = locked(question)
        row, _changed = save_locked(actor=actor, row=row, changes=changes,
                                    editable=QUESTION_FIELDS, target=version,
                                    action="assessments.question.changed", name=row.name)
        # A new kind may no longer fit a rule that names this question.
        _check_rules_of(version, row)
    return row


def delete_question(*, actor, question: Question) -> None:
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(question.section.version)
        named_by = [*Question.objects.filter(shown_if=question).values_list("name", flat=True),
                    *Section.objects.filter(shown_if=question).values_list("name", flat=True)]
        if named_by:
            raise DomainError(_("The rules of %(names)s name this question: change them "
                                "first.") % {"names": ", ".join(sorted(named_by))})
        name = question.name
        question.delete()
        audit.record(actor=actor, action="assessments.question.deleted", target=version,
                     name=name)


def move_question(*, actor, question: Question, direction: str) -> Question:
    """One place up or down within its section."""
    _require(actor)
    with transaction.atomic():
        version = _locked_draft(question.section.version)
        siblings = list(Question.objects.filter(section_id=question.section_id)
                        .order_by("position", "id"))
        _swap(siblings, question.pk, direction)
        Question.objects.bulk_update(siblings, ["position"])
        _check_rules_of(version, None)
        audit.record(actor=actor, action="assessments.question.moved", target=version,
                     name=question.name, direction=direction)
    return question


# -- translations -----------------------------------------------------------------------------

def save_translations(*, actor, version: QuestionnaireVersion, language: str,
                      sections: dict[int, dict], questions: dict[int, dict]) -> int:
    """Store `language`'s texts: {section id: {"title": ...}}, {question id: {"text": ...,
    "hint": ...}}; a blank text removes the translation (the English shows). Returns how
    many rows changed."""
    _require(actor)
    if language not in dict(translation_languages()):
        raise DomainError(_("Choose one of the interface languages."), field="language")
    with transaction.atomic():
        version = _locked_draft(version)
        changed_sections = _apply(Section.objects.filter(version=version), sections, language,
                                  SECTION_TRANSLATED)
        changed_questions = _apply(Question.objects.filter(section__version=version),
                                   questions, language, QUESTION_TRANSLATED)
        Section.objects.bulk_update(changed_sections, ["translations"])
        Question.objects.bulk_update(changed_questions, ["translations"])
        count = len(changed_sections) + len(changed_questions)
        if count:
            audit.record(actor=actor, action="assessments.version.translated", target=version,
                         language=language, count=count)
    return count


def _apply(rows, texts: dict[int, dict], language: str, fields) -> list:
    changed = []
    for row in rows.filter(pk__in=list(texts)):
        given = texts[row.pk]
        current = dict(row.translations.get(language) or {})
        updated = dict(current)
        for name in fields:
            if name in given:
                text = str(given[name] or "").strip()
                if text:
                    updated[name] = text
                else:
                    updated.pop(name, None)
        if updated != current:
            translations = dict(row.translations)
            if updated:
                translations[language] = updated
            else:
                translations.pop(language, None)
            row.translations = translations
            changed.append(row)
    return changed


@dataclass(frozen=True)
class Completeness:
    language: str
    name: str
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total


def translation_progress(version: QuestionnaireVersion, *, sections=None, questions=None
                         ) -> list[Completeness]:
    """Per interface language: how many of the version's texts (section titles, question
    texts, hints the English has) are translated; `sections` and `questions` when the caller
    read them already."""
    if sections is None or questions is None:
        sections = list(Section.objects.filter(version=version).only("translations"))
        questions = list(Question.objects.filter(section__version=version)
                         .only("hint", "translations"))
    total = len(sections) + sum(2 if q.hint else 1 for q in questions)
    progress = []
    for code, name in translation_languages():
        done = sum(1 for s in sections if (s.translations.get(code) or {}).get("title"))
        for question in questions:
            texts = question.translations.get(code) or {}
            done += bool(texts.get("text")) + bool(question.hint and texts.get("hint"))
        progress.append(Completeness(code, str(name), done, total))
    return progress
