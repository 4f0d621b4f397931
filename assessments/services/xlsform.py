"""Questionnaires exchanged as XLSForm spreadsheets, read and written with openpyxl.

Why openpyxl and not pyxform: pyxform converts XLSForm into ODK's XForm XML, which the
portal does not use; it would reject the portal's own columns (weight, simplified,
principle, model_policy) and stops at the first error, where a survey team needs every bad
row of the sheet listed at once. openpyxl reads the cells, and this module checks them row by
row.

What is read (the survey sheet, first row the column names, case and spaces ignored):
- `type`: `begin_group` / `begin group` opens a section, `end_group` / `end group` closes
  it (one level: groups inside groups are refused); `select_one yes_partial_no` (yes /
  partial / no), `select_one maturity` (0-4), `integer` and `decimal` (a number), `text`
  (free text), and `file` or `url` (evidence: a file or a link).
- `name` (letters, digits, - and _), `label` or `label::<language>` (`label::English (en)`,
  `label::Japanese (ja)`, `label::ja`, `label::Spanish`...; English is required), the same
  forms of `hint`, `required` (yes / true / 1; blank is no), `relevant` (one comparison:
  `${name} = 'yes'`, `!=`, `>=`, `<=`, naming an earlier question).
- The portal's own columns: `weight` (a number, 1 when blank), `simplified` (yes / no: asked
  in the simplified variant, yes when blank); on a group's row `principle` (a principle key,
  e.g. privacy) and `model_policy` (the title of a model policy on the roadmap).
- The choices sheet (`list_name`, `name`, `label`): when it lists yes_partial_no or maturity,
  they must be exactly yes/partial/no and 0-4.
Everything else (select_multiple, calculate, note, repeat, metadata fields, other choice
lists, compound `relevant` expressions, questions outside a group) is reported with its
sheet, row number and reason; a file with any such row creates nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit

from ..conditions import UnsupportedRule, format_relevant, parse_relevant
from ..models import (
    MATURITY_LEVELS,
    SOURCE_LANGUAGE,
    ModelPolicy,
    Principle,
    PrincipleKey,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from .questionnaires import MANAGE, NAME, comparison_problem, next_number

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
MAX_ROWS = 2000
YES_PARTIAL_NO, MATURITY = "yes_partial_no", "maturity"
LISTS = {YES_PARTIAL_NO: ["yes", "partial", "no"],
         MATURITY: [str(level) for level in range(MATURITY_LEVELS + 1)]}
LIST_LABELS = {"yes": "Yes", "partial": "Partly", "no": "No", "0": "0 - None", "1": "1 - Initial",
               "2": "2 - Developing", "3": "3 - Established", "4": "4 - Leading"}
KIND_OF_TYPE = {f"select_one {YES_PARTIAL_NO}": QuestionKind.YES_PARTIAL_NO,
                f"select_one {MATURITY}": QuestionKind.MATURITY,
                "integer": QuestionKind.NUMBER, "decimal": QuestionKind.NUMBER,
                "text": QuestionKind.TEXT, "file": QuestionKind.EVIDENCE,
                "url": QuestionKind.EVIDENCE}
TYPE_OF_KIND = {QuestionKind.YES_PARTIAL_NO: f"select_one {YES_PARTIAL_NO}",
                QuestionKind.MATURITY: f"select_one {MATURITY}",
                QuestionKind.NUMBER: "decimal", QuestionKind.TEXT: "text",
                QuestionKind.EVIDENCE: "file"}
BEGIN, END = "begin_group", "end_group"
TRUE, FALSE = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}
# English names of the languages, for headers such as label::Japanese (ja) or label::Spanish.
LANGUAGE_NAMES = {"english": "en", "japanese": "ja", "spanish": "es", "portuguese": "pt-br",
                  "portuguese (brazil)": "pt-br"}
EXPORT_NAMES = {"en": "English", "ja": "Japanese", "es": "Spanish", "pt-br": "Portuguese"}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    reason: str


class ImportRefused(DomainError):
    """The spreadsheet has rows the portal cannot take; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("Nothing was imported: %(count)s rows need changes.")
                         % {"count": len(problems)}, field="file")
        self.problems = problems


# -- reading ----------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _language_of(suffix: str) -> str | None:
    """The portal's language code of a header suffix: "English (en)", "ja", "Spanish"."""
    suffix = suffix.strip()
    codes = {code for code, _name in settings.LANGUAGES}
    inside = re.search(r"\(([^)]+)\)\s*$", suffix)
    for candidate in ([inside.group(1)] if inside else []) + [suffix]:
        candidate = candidate.strip().lower().replace("_", "-")
        if candidate in codes:
            return candidate
        if candidate == "pt":
            return "pt-br"
    return LANGUAGE_NAMES.get(suffix.lower())


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    texts: dict[str, dict[str, str]]  # language -> {"label": ..., "hint": ...}

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Draft:
    """What a valid sheet describes, before anything is written."""

    sections: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, sheet: str, row: int, reason: str) -> None:
        self.problems.append(Problem(sheet, row, reason))


def _read_sheet(sheet, draft: Draft, name: str) -> list[Row]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        draft.refuse(name, 1, _("The sheet is empty: its first row names the columns."))
        return []
    columns = []  # (plain column, language or None)
    for number, cell in enumerate(header, start=1):
        title = re.sub(r"\s+", " ", _text(cell)).lower()
        if "::" in title:
            base, suffix = title.split("::", 1)
            language = _language_of(suffix)
            if base.strip() in ("label", "hint") and language is None:
                draft.refuse(name, 1, _("Column %(column)s: unknown language %(language)s.")
                             % {"column": number, "language": suffix})
            columns.append((base.strip(), language))
        else:
            columns.append((title, SOURCE_LANGUAGE if title in ("label", "hint") else None))
    read = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            draft.refuse(name, number, _("Too many rows: at most %(count)s.")
                         % {"count": MAX_ROWS})
            break
        cells, texts = {}, {}
        for (column, language), value in zip(columns, values, strict=False):
            text = _text(value)
            if not text or not column:
                continue
            if column in ("label", "hint") and language:
                texts.setdefault(language, {})[column] = text
            else:
                cells[column] = text
        if cells or texts:
            read.append(Row(number, cells, texts))
    return read


def _flag(draft: Draft, row: Row, column: str, default: bool) -> bool:
    value = row.get(column).lower()
    if value == "":
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    draft.refuse(SURVEY, row.number, _("%(column)s must be yes or no, not %(value)s.")
                 % {"column": column, "value": row.get(column)})
    return default


def _translations(row: Row, fields: dict[str, str]) -> dict:
    """{language: {field: text}} of the row's non-English label/hint columns."""
    out = {}
    for language, texts in row.texts.items():
        if language == SOURCE_LANGUAGE:
            continue
        kept = {target: texts[source] for source, target in fields.items() if texts.get(source)}
        if kept:
            out[language] = kept
    return out


def _check_choices(workbook, draft: Draft) -> None:
    if CHOICES not in workbook.sheetnames:
        return
    lists: dict[str, list[tuple[int, str]]] = {}
    for row in _read_sheet(workbook[CHOICES], draft, CHOICES):
        list_name = row.get("list_name")
        if list_name:
            lists.setdefault(list_name, []).append((row.number, row.get("name")))
    for list_name, expected in LISTS.items():
        if list_name in lists and [name for _n, name in lists[list_name]] != expected:
            draft.refuse(CHOICES, lists[list_name][0][0],
                         _("The list %(list)s must be exactly %(names)s, in this order.")
                         % {"list": list_name, "names": ", ".join(expected)})


def _rule(draft: Draft, row: Row, seen: dict[str, dict], *, own_section: str | None
          ) -> tuple[str, str, str] | None:
    """(question name, operator, value) of the row's `relevant`, checked, or None."""
    try:
        rule = parse_relevant(row.get("relevant"))
    except UnsupportedRule:
        draft.refuse(SURVEY, row.number, _(
            "relevant %(expression)s is not supported: use one comparison of an earlier "
            "question, such as ${has_policy} = 'yes'.") % {"expression": row.get("relevant")})
        return None
    if rule is None:
        return None
    name, operator, value = rule
    named = seen.get(name)
    if named is None:
        draft.refuse(SURVEY, row.number, _("relevant names %(name)s, which is not an earlier "
                                           "question.") % {"name": name})
        return None
    if own_section is not None and named["section"] == own_section:
        draft.refuse(SURVEY, row.number, _("A group's relevant must name a question of an "
                                           "earlier group."))
        return None
    _field, message = comparison_problem(named["kind"], operator, value)
    if message:
        draft.refuse(SURVEY, row.number, f"relevant: {message}")
        return None
    return rule


def parse_workbook(upload) -> Draft:
    """Read and check the whole spreadsheet; the draft's `problems` list every bad row."""
    draft = Draft()
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        draft.refuse(_("file"), 0, _("This is not an Excel workbook (.xlsx)."))
        return draft
    if SURVEY not in workbook.sheetnames:
        draft.refuse(SURVEY, 0, _("The workbook has no sheet named survey."))
        return draft
    _check_choices(workbook, draft)
    rows = _read_sheet(workbook[SURVEY], draft, SURVEY)
    # Policies on the roadmap, and retired ones that older versions still name; an adopted
    # policy wins over a retired one of the same title.
    policies = {title.lower(): pk for pk, title in ModelPolicy.objects.filter(
        status__in=(ModelPolicy.Status.RETIRED, ModelPolicy.Status.ADOPTED))
        .order_by("-status").values_list("pk", "title")}
    principles = {key: pk for pk, key in Principle.objects.values_list("pk", "key")}
    seen: dict[str, dict] = {}  # question name -> {"kind", "section"}
    section = None
    section_names: set[str] = set()
    for row in rows:
        kind_text = re.sub(r"\s+", " ", row.get("type").lower()).replace("begin group", BEGIN)
        kind_text = kind_text.replace("end group", END)
        english = row.texts.get(SOURCE_LANGUAGE, {})
        name = row.get("name")
        if kind_text == BEGIN:
            if section is not None:
                draft.refuse(SURVEY, row.number, _("Groups inside groups are not supported: "
                                                   "close %(name)s first.")
                             % {"name": section["name"]})
                continue
            section = _section(draft, row, name, english, section_names, principles, policies)
            section["rule"] = _rule(draft, row, seen, own_section=section["name"])
            draft.sections.append(section)
            continue
        if kind_text == END:
            if section is None:
                draft.refuse(SURVEY, row.number, _("end_group without a begin_group."))
            section = None
            continue
        kind = KIND_OF_TYPE.get(kind_text)
        if kind is None:
            draft.refuse(SURVEY, row.number, _unsupported(row.get("type")))
            continue
        if section is None:
            draft.refuse(SURVEY, row.number, _("A question outside any group: put it between "
                                               "begin_group and end_group (a section)."))
            continue
        question = _question(draft, row, name, kind, english, seen)
        rule = _rule(draft, row, seen, own_section=None)
        if question is not None:
            question["rule"] = rule
            section["questions"].append(question)
        # Known even when the row has problems: a second row of the name is reported too.
        seen.setdefault(name, {"kind": kind, "section": section["name"]})
    if section is not None:
        draft.refuse(SURVEY, rows[-1].number, _("The group %(name)s is never closed "
                                                "(end_group).") % {"name": section["name"]})
    if not draft.problems and not any(s["questions"] for s in draft.sections):
        draft.refuse(SURVEY, 0, _("The survey sheet has no question."))
    return draft


UNSUPPORTED = {
    "select_one": _lazy("Only the lists yes_partial_no and maturity are supported."),
    "select_multiple": _lazy("Questions with several answers (select_multiple) are not "
                             "supported."),
    "calculate": _lazy("Calculations are not supported."),
    "note": _lazy("Notes are not supported: put the text in a question's hint."),
    "begin_repeat": _lazy("Repeats are not supported."),
    "end_repeat": _lazy("Repeats are not supported."),
}
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit",
            "simserial", "subscriberid", "email"}


def _unsupported(kind: str) -> str:
    if not kind:
        return _("The type column is empty.")
    first = re.sub(r"\s+", " ", kind.lower()).replace("begin repeat", "begin_repeat")
    first = first.replace("end repeat", "end_repeat").split()[0]
    if first in UNSUPPORTED:
        reason = str(UNSUPPORTED[first])
    elif first in METADATA:
        reason = _("Metadata fields are not supported.")
    else:
        reason = _("Supported types: select_one yes_partial_no, select_one maturity, integer, "
                   "decimal, text, file, url, begin_group, end_group.")
    return _("type %(type)s: %(reason)s") % {"type": kind, "reason": reason}


def _section(draft, row, name, english, section_names, principles, policies) -> dict:
    if not NAME.match(name):
        draft.refuse(SURVEY, row.number, _("Name %(name)s: use letters, digits, - and _, "
                                           "starting with a letter.") % {"name": name or "—"})
    elif name in section_names:
        draft.refuse(SURVEY, row.number, _("A second group named %(name)s.") % {"name": name})
    section_names.add(name)
    if not english.get("label"):
        draft.refuse(SURVEY, row.number, _("The group has no English label (its title)."))
    principle = row.get("principle").lower()
    if principle and principle not in principles:
        draft.refuse(SURVEY, row.number, _("principle %(value)s is not one of %(keys)s.")
                     % {"value": row.get("principle"), "keys": ", ".join(PrincipleKey.values)})
    policy = row.get("model_policy")
    if policy and policy.lower() not in policies:
        draft.refuse(SURVEY, row.number, _("model_policy %(title)s is not a model policy on the "
                                           "roadmap.") % {"title": policy})
    return {"name": name, "title": english.get("label", ""), "row": row.number,
            "principle_id": principles.get(principle),
            "model_policy_id": policies.get(policy.lower()) if policy else None,
            "translations": _translations(row, {"label": "title"}), "questions": []}


def _question(draft, row, name, kind, english, seen) -> dict | None:
    problems_before = len(draft.problems)
    if not NAME.match(name):
        draft.refuse(SURVEY, row.number, _("Name %(name)s: use letters, digits, - and _, "
                                           "starting with a letter.") % {"name": name or "—"})
    elif name in seen:
        draft.refuse(SURVEY, row.number, _("A second question named %(name)s.") % {"name": name})
    if not english.get("label"):
        draft.refuse(SURVEY, row.number, _("The question has no English label."))
    weight = Decimal(1)
    if row.get("weight"):
        try:
            weight = Decimal(row.get("weight"))
        except InvalidOperation:
            weight = None
        if weight is None or not weight.is_finite() or not 0 <= weight < 1000:
            draft.refuse(SURVEY, row.number, _("weight %(value)s: use a number from 0 to "
                                               "999.99.") % {"value": row.get("weight")})
            weight = Decimal(1)
    question = {"name": name, "kind": kind, "text": english.get("label", ""),
                "hint": english.get("hint", ""), "weight": weight.quantize(Decimal("0.01")),
                "required": _flag(draft, row, "required", False),
                "in_simplified": _flag(draft, row, "simplified", True),
                "translations": _translations(row, {"label": "text", "hint": "hint"})}
    return None if len(draft.problems) > problems_before else question


def import_version(*, actor, questionnaire: Questionnaire, upload, filename: str = ""
                   ) -> QuestionnaireVersion:
    """A new draft version of `questionnaire` from an XLSForm workbook, all or nothing:
    ImportRefused lists every bad row and nothing is created."""
    permissions.require(actor, MANAGE, region=None)
    draft = parse_workbook(upload)
    if draft.problems:
        raise ImportRefused(draft.problems)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire, number=next_number(questionnaire), created_by=actor,
            note=_("Imported from %(file)s") % {"file": filename} if filename else "")
        _write(version, draft)
        audit.record(actor=actor, action="assessments.version.imported", target=version,
                     number=version.number, file=filename,
                     questions=sum(len(s["questions"]) for s in draft.sections))
    return version


def _write(version: QuestionnaireVersion, draft: Draft) -> None:
    sections = Section.objects.bulk_create(
        Section(version=version, position=n, name=s["name"], title=s["title"],
                principle_id=s["principle_id"], model_policy_id=s["model_policy_id"],
                translations=s["translations"])
        for n, s in enumerate(draft.sections, start=1))
    rows = [(section, q) for section, s in zip(sections, draft.sections, strict=True)
            for q in s["questions"]]
    questions = Question.objects.bulk_create(
        Question(section=section, position=n, name=q["name"], kind=q["kind"], text=q["text"],
                 hint=q["hint"], weight=q["weight"], required=q["required"],
                 in_simplified=q["in_simplified"], translations=q["translations"])
        for n, (section, q) in enumerate(rows, start=1))
    by_name = {q.name: q for q in questions}
    ruled = []
    for question, (_section, q) in zip(questions, rows, strict=True):
        if q["rule"]:
            question.shown_if_id = by_name[q["rule"][0]].pk
            question.operator, question.value = q["rule"][1], q["rule"][2]
            ruled.append(question)
    Question.objects.bulk_update(ruled, ["shown_if", "operator", "value"])
    ruled_sections = []
    for section, s in zip(sections, draft.sections, strict=True):
        if s["rule"]:
            section.shown_if_id = by_name[s["rule"][0]].pk
            section.operator, section.value = s["rule"][1], s["rule"][2]
            ruled_sections.append(section)
    Section.objects.bulk_update(ruled_sections, ["shown_if", "operator", "value"])


# -- writing ----------------------------------------------------------------------------------

def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _header(column: str, language: str) -> str:
    return f"{column}::{EXPORT_NAMES.get(language, language)} ({language})"


def export_version(version: QuestionnaireVersion) -> bytes:
    """The version as an XLSForm workbook (survey, choices, settings) that import_version
    reads back into the same sections, questions, rules and translations."""
    sections = list(Section.objects.filter(version=version).order_by("position", "id")
                    .select_related("principle", "model_policy"))
    questions = list(Question.objects.filter(section__version=version)
                     .order_by("section__position", "section_id", "position", "id"))
    name_of = {q.pk: q.name for q in questions}
    languages = _languages()
    workbook = Workbook()
    survey = workbook.active
    survey.title = SURVEY
    survey.append(["type", "name", *(_header("label", code) for code in languages),
                   *(_header("hint", code) for code in languages), "required", "relevant",
                   "weight", "simplified", "principle", "model_policy"])

    def texts(row, field_name: str, source: str) -> list[str]:
        return [source if code == SOURCE_LANGUAGE
                else (row.translations.get(code) or {}).get(field_name, "")
                for code in languages]

    blank_hints = [""] * len(languages)
    for section in sections:
        survey.append([BEGIN, section.name, *texts(section, "title", section.title),
                       *blank_hints, "", format_relevant(section, name_of), "", "",
                       section.principle.key if section.principle else "",
                       section.model_policy.title if section.model_policy else ""])
        for question in (q for q in questions if q.section_id == section.pk):
            survey.append([TYPE_OF_KIND[question.kind], question.name,
                           *texts(question, "text", question.text),
                           *texts(question, "hint", question.hint),
                           "yes" if question.required else "no",
                           format_relevant(question, name_of),
                           format(question.weight.normalize(), "f"),
                           "yes" if question.in_simplified else "no", "", ""])
        survey.append([END, section.name])
    choices = workbook.create_sheet(CHOICES)
    choices.append(["list_name", "name", _header("label", SOURCE_LANGUAGE)])
    for list_name, names in LISTS.items():
        for name in names:
            choices.append([list_name, name, LIST_LABELS[name]])
    form_settings = workbook.create_sheet(SETTINGS)
    form_settings.append(["form_title", "form_id", "version", "default_language"])
    form_settings.append([version.questionnaire.name, f"questionnaire_{version.questionnaire_id}",
                          str(version.number), _header("label", SOURCE_LANGUAGE)[7:]])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
