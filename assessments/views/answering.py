"""The answering page of a city's assessment (the city contact, a colleague on their sections,
the secretariat and reviewers reading), its autosave endpoint, the no-script section forms,
clarifications, section assignments and submitting."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from alliance.errors import DomainError
from alliance.services import audit
from alliance.templatetags.formats import when
from alliance.templatetags.portal import icon
from alliance.views import (
    attachment,
    refused,
    refused_as_message,
    refused_into,
    requires,
    url_prefix,
)

from ..forms.answering import AssignForm, ClarifyForm, answer_fields
from ..models import (
    MATURITY_LEVELS,
    Assessment,
    Clarification,
    ModelPolicy,
    Question,
    QuestionKind,
    ReviewComment,
    SectionAssignment,
)
from ..queries import asked_questions
from ..services import answering, assignments
from ..services.answering import Access, Conflict
from .answer_rows import QuestionHtml

# A question's latest clarification messages and review comments on the assessment's pages;
# the rest are on the question's own page (assessment-question), so a long discussion costs
# the pages nothing.
LATEST_SHOWN = 3
HISTORY_SHOWN = 30  # an assessment's latest history lines, on its answering and review pages
THREAD_PAGE_SHOWN = 100
# What the assessment's pages read of it, its campaign and its city.
LOADED = ("region_id", "campaign_id", "city_id", "state", "last_activity_at", "submitted_at",
          "accepted_at", "invited_at", "overall_score", "campaign__region_id",
          "campaign__year", "campaign__version_id", "campaign__variant", "campaign__opens_on",
          "campaign__closes_on", "campaign__state", "city__region_id", "city__name")
# What the page shows of an answer and who gave it.
ANSWER_SHOWN = ("assessment_id", "question_id", "choice", "number", "text", "evidence_url",
                "evidence_file", "evidence_name", "revision", "updated_at",
                "answered_by__full_name", "answered_by__email")


def load(request, assessment_id) -> tuple[Assessment, Access]:
    """The assessment and what the person may do with it; 404 for anyone it is not for."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("campaign", "city").only(*LOADED), pk=assessment_id)
    # The scope holds the request's region only: the assessment's is the one at hand.
    assessment.region = request.region
    access = answering.access_of(request.user, assessment)
    if access is None:
        raise Http404
    return assessment, access


def assessment_url(assessment: Assessment) -> str:
    return reverse("assessment-detail", kwargs={"region_slug": assessment.region.slug,
                                                "assessment_id": assessment.pk})


def section_url(assessment: Assessment, section_id: int) -> str:
    """The answering page of one section (the page shows a section at a time)."""
    return f"{assessment_url(assessment)}?section={section_id}"


def question_url(assessment: Assessment, question: Question) -> str:
    return f"{section_url(assessment, question.section_id)}#question-{question.pk}"


# -- the page -----------------------------------------------------------------------------------



def choices_of(question: Question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.YES_PARTIAL_NO:
        return [("yes", _("Yes")), ("partial", _("Partly")), ("no", _("No"))]
    if question.kind == QuestionKind.MATURITY:
        return list(maturity_labels().items())
    return []


def maturity_labels() -> dict[str, str]:
    labels = [_("0 · Nothing in place"), _("1 · Planned"), _("2 · Started"),
              _("3 · In place"), _("4 · In place and reviewed")]
    return {str(level): labels[level] for level in range(MATURITY_LEVELS + 1)}


@dataclass
class Item:
    """One question as the page shows it."""

    question: Question
    number: int
    answer: object
    hidden: bool
    choices: list
    errors: dict = field(default_factory=dict)
    thread: list = field(default_factory=list)  # the latest messages, oldest first
    thread_total: int = 0
    comments: list = field(default_factory=list)  # the latest, the latest round first
    comments_total: int = 0

    @property
    def value(self) -> dict:
        answer = self.answer
        if answer is None:
            return {"choice": "", "number": "", "text": "", "evidence_url": ""}
        number = "" if answer.number is None else format(answer.number.normalize(), "f")
        return {"choice": answer.choice, "number": number, "text": answer.text,
                "evidence_url": answer.evidence_url}

    @property
    def revision(self) -> int:
        return self.answer.revision if self.answer is not None else 0

    @property
    def open_comments(self) -> list:
        return [c for c in self.comments if not c.resolved]


class Message:
    """A clarification message as the page shows it."""

    __slots__ = ("author", "body", "created_at", "from_secretariat")

    def __init__(self, author, from_secretariat, body, created_at):
        self.author, self.from_secretariat = author, from_secretariat
        self.body, self.created_at = body, created_at


class Comment:
    """A review comment as the page shows it."""

    __slots__ = ("author", "body", "created_at", "resolved", "round")

    def __init__(self, author, round_, body, created_at, resolved: bool):
        self.author, self.round, self.body = author, round_, body
        self.created_at, self.resolved = created_at, resolved


class Latest(dict):
    """Question id -> its latest rows as the page shows them (at most `shown`, or all);
    `totals`: how many the question has."""

    def __init__(self, shown: int | None):
        super().__init__()
        self.shown = shown
        self.totals: dict[int, int] = {}

    def add(self, question_id: int, row) -> None:
        rows = self.setdefault(question_id, [])
        rows.append(row)
        self.totals[question_id] = self.totals.get(question_id, 0) + 1
        if self.shown and len(rows) > self.shown:
            del rows[0]


def threads_of(assessment: Assessment, *, question_ids=None, shown=LATEST_SHOWN) -> Latest:
    """Each question's latest clarification messages, oldest first. Read as values: a busy
    assessment holds hundreds, and the page needs only these fields of each (the author's
    name is the one `User.__str__` gives); the rest are only counted."""
    rows = Clarification.objects.filter(assessment=assessment)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    threads = Latest(shown)
    for question_id, secretariat, body, created_at, name, email in rows.order_by(
            "created_at", "id").values_list("question_id", "from_secretariat", "body",
                                            "created_at", "author__full_name", "author__email"):
        threads.add(question_id, Message(name or email, secretariat, body, created_at))
    return threads


def comments_of(assessment: Assessment, *, question_ids=None, shown=LATEST_SHOWN) -> Latest:
    """Each question's latest review comments, the latest round first."""
    rows = ReviewComment.objects.filter(assessment=assessment)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    comments = Latest(shown)
    # Whether a comment is resolved, not when: a datetime read costs more than the rest of a
    # row, and a busy assessment has hundreds.
    rows = rows.annotate(resolved=ExpressionWrapper(Q(resolved_at__isnull=False),
                                                    output_field=BooleanField()))
    for question_id, round_, body, created_at, resolved, name, email in rows.order_by(
            "round", "-id").values_list("question_id", "round", "body", "created_at",
                                        "resolved", "author__full_name", "author__email"):
        comments.add(question_id, Comment(name or email, round_, body, created_at, resolved))
    for rows_of_question in comments.values():
        rows_of_question.reverse()
    return comments


def page_items(assessment: Assessment, access: Access, sheet, *, section_id=None,
               errors=None, comments=None) -> list:
    """The sections with their items (only `section_id`'s, when given), each section with
    whether its rule hides it (`comments`: comments_of(assessment), when the caller has read
    them). Questions keep their number in the whole questionnaire."""
    numbered = [(number, q) for number, q in enumerate(sheet.questions, start=1)
                if section_id is None or q.section_id == section_id]
    asked = None if section_id is None else [q.pk for _number, q in numbered]
    threads = threads_of(assessment, question_ids=asked)
    comments = comments_of(assessment, question_ids=asked) if comments is None else comments
    errors = errors or {}
    by_section: dict[int, list] = {}
    choices: dict[str, list] = {}  # per kind, translated once per page
    for number, question in numbered:
        if question.kind not in choices:
            choices[question.kind] = choices_of(question)
        by_section.setdefault(question.section_id, []).append(Item(
            question=question, number=number, answer=sheet.answers.get(question.pk),
            hidden=question.pk in sheet.hidden, choices=choices[question.kind],
            errors=errors.get(question.pk, {}), thread=threads.get(question.pk, []),
            thread_total=threads.totals.get(question.pk, 0),
            comments=comments.get(question.pk, []),
            comments_total=comments.totals.get(question.pk, 0)))
    shown = []
    for section in sheet.sections:
        items = by_section.get(section.pk, [])
        if items:
            shown.append({"section": section, "items": items,
                          "hidden": all(item.hidden for item in items)})
    return shown


@dataclass
class SectionLine:
    """A section in the page's list of sections: hidden by its rule or not, and its required
    questions answered."""

    section: object
    hidden: bool = True
    required: int = 0
    answered: int = 0

    @property
    def complete(self) -> bool:
        return self.answered == self.required


def section_lines(sheet) -> list[SectionLine]:
    lines = {section.pk: SectionLine(section) for section in sheet.sections}
    for question in sheet.questions:
        line = lines.get(question.section_id)
        if line is None or question.pk in sheet.hidden:
            continue
        line.hidden = False
        if question.required:
            line.required += 1
            line.answered += sheet.is_answered(question)
    return [line for line in lines.values() if not line.hidden]


def chosen_line(assessment: Assessment, lines: list[SectionLine], wanted) -> SectionLine | None:
    """The section asked for (`?section=`), else the first with a comment to address (a
    returned assessment), else the first with a required question to answer, else the
    first."""
    for line in lines:
        if str(line.section.pk) == str(wanted):
            return line
    if assessment.state == Assessment.State.RETURNED:
        to_fix = set(ReviewComment.objects.filter(assessment=assessment, resolved_at=None)
                     .values_list("question__section_id", flat=True))
        first_to_fix = next((line for line in lines if line.section.pk in to_fix), None)
        if first_to_fix:
            return first_to_fix
    return next((line for line in lines if not line.complete), lines[0] if lines else None)


def sheet_for_page(assessment: Assessment, access: Access):
    """The sheet, its answers read with what the page shows of them."""
    return answering.sheet_of(assessment, access, answers=assessment.answers.select_related(
        "answered_by").only(*ANSWER_SHOWN))


def assignments_of(assessment: Assessment, sheet) -> list[SectionAssignment]:
    """The open section assignments in section order, each with its section from the
    sheet."""
    sections = {section.pk: section for section in sheet.sections}
    rows = list(SectionAssignment.objects.filter(assessment=assessment, removed_at=None).only(
        "assessment_id", "section_id", "email", "name", "department", "assignee_id"))
    for row in rows:
        if row.section_id in sections:
            row.section = sections[row.section_id]
    rows.sort(key=lambda row: (row.section.position, row.pk))
    return rows


def assignment_rows(assignments: list, *, prefix: str, csrf: str, may_edit: bool) -> str:
    """The assignments' `<li>`s, written once per page (`prefix`: the remove URL's)."""
    words = {"access": escape(_("has access")), "invited": escape(_("invited")),
             "remove": escape(_("Remove"))}
    rows = []
    for row in assignments:
        department = f" ({escape(row.department)})" if row.department else ""
        state = words["access"] if row.assignee_id else words["invited"]
        remove = (f'<form method="post" action="{prefix}{row.pk}/remove/">{csrf}'
                  f'<button type="submit" class="btn btn-outline-danger btn-sm">'
                  f'{words["remove"]}<span class="visually-hidden"> {escape(row.email)}</span>'
                  f'</button></form>' if may_edit else "")
        rows.append(f'<li class="d-flex flex-wrap gap-2 align-items-center mb-2"><span><strong>'
                    f'{escape(row.section.shown_title)}</strong> → '
                    f'{escape(row.name or row.email)}{department} · {state}</span>{remove}</li>')
    return mark_safe("".join(rows))


def prefixes(assessment: Assessment) -> dict:
    kwargs = {"region_slug": assessment.region.slug, "assessment_id": assessment.pk}
    return {"answer_prefix": url_prefix("assessment-answer", "question_id", **kwargs),
            "evidence_prefix": url_prefix("assessment-evidence", "question_id", **kwargs),
            "question_prefix": url_prefix("assessment-question", "question_id", **kwargs)}


def drawn(sections: list, draw, html: QuestionHtml) -> list:
    """Each section with its questions drawn (`draw`: answering or reviewing) and its
    questions' clarification forms."""
    for part in sections:
        part["title"] = part["section"].shown_title
        part["html"] = mark_safe("".join(draw(item) for item in part["items"]))
        part["forms"] = html.clarify_forms(part["items"])
    return sections


def page_context(request, assessment: Assessment, access: Access, *, section_id=None,
                 errors=None, missing=None) -> dict:
    """The answering page of one section (`section_id`, else chosen by `chosen_line`)."""
    sheet = sheet_for_page(assessment, access)
    lines = section_lines(sheet)
    current = chosen_line(assessment, lines, section_id)
    at = lines.index(current) if current else 0
    open_ = answering.is_open(assessment)
    urls = prefixes(assessment)
    html = QuestionHtml(request, may_edit=access.may_answer and open_,
                        may_clarify=access.may_clarify,
                        question_prefix=urls["question_prefix"],
                        evidence_prefix=urls["evidence_prefix"])
    context = {
        "assessment": assessment, "campaign": assessment.campaign, "city": assessment.city,
        "access": access, "sheet": sheet,
        "lines": lines, "current": current, "page_url": assessment_url(assessment),
        # Read here, not through the shared section row (queries.asked_sections).
        "current_policy": ModelPolicy.objects.filter(
            pk=current.section.model_policy_id).only("title", "translations").first()
        if current and current.section.model_policy_id else None,
        "previous": lines[at - 1] if at > 0 else None,
        "next": lines[at + 1] if at + 1 < len(lines) else None,
        "sections": drawn(page_items(assessment, access, sheet, errors=errors,
                                     section_id=current.section.pk),
                          html.answering, html) if current else [],
        "may_edit": access.may_answer and open_,
        "may_submit": access.may_submit and open_,
        "missing": missing,
        **urls,
        "section_prefix": url_prefix("assessment-section-save", "section_id",
                                     region_slug=assessment.region.slug,
                                     assessment_id=assessment.pk),
        "csrf_input": mark_safe(html.csrf_input),
        "save_button": mark_safe(
            f'<button type="submit" class="btn btn-outline-secondary" data-no-js-save>'
            f'{icon("save")}{escape(_("Save this section"))}</button>'
            if access.may_answer and open_ else ""),
        # A colleague's view is their sections: the rest of the history is not theirs.
        "history": None if access.section_ids is not None else audit.recent_history(
            assessment, HISTORY_SHOWN),
    }
    if access.may_assign:
        context["assignments"] = assignments_of(assessment, sheet)
        context["assignment_rows"] = assignment_rows(
            context["assignments"], csrf=html.csrf_input, may_edit=context["may_edit"],
            prefix=url_prefix("assessment-assignment-remove", "assignment_id",
                              region_slug=assessment.region.slug, assessment_id=assessment.pk))
        context["assign_form"] = AssignForm(sections=sheet.sections)
    return context


@require_safe
@requires("alliance.view_region")
def assessment_detail(request, region_slug, assessment_id):
    assessment, access = load(request, assessment_id)
    return render(request, "assessments/assessment_detail.html",
                  page_context(request, assessment, access,
                               section_id=request.GET.get("section")))


# -- saving ---------------------------------------------------------------------------------------

def _answer_json(answer, request) -> dict:
    if answer is None:
        return {"revision": 0}
    number = "" if answer.number is None else format(answer.number.normalize(), "f")
    return {
        "revision": answer.revision,
        "value": {"choice": answer.choice, "number": number, "text": answer.text,
                  "evidence_url": answer.evidence_url},
        "evidence_name": answer.evidence_name,
        "answered_by": str(answer.answered_by) if answer.answered_by_id else "",
        "saved_at": answer.updated_at.isoformat(),
        "saved_at_label": when(answer.updated_at),
    }


@require_POST
@requires("alliance.view_region")
def assessment_answer(request, region_slug, assessment_id, question_id):
    """Autosave of one answer (assessment.js): 200 with the new revision, 409 with the
    stored answer when someone saved it in between, 400 with the refusal."""
    assessment, access = load(request, assessment_id)
    question = get_object_or_404(Question, pk=question_id)
    if not access.may_answer or not access.sees(question.section_id):
        raise Http404
    try:
        revision = int(request.POST.get("revision", "0"))
    except ValueError:
        return JsonResponse({"error": _("The page sent an unreadable revision.")}, status=400)
    value = {name: request.POST[name] for name in answer_fields(question) if name in request.POST}
    if request.FILES.get("evidence_file"):
        value["evidence_file"] = request.FILES["evidence_file"]
    if request.POST.get("remove_file"):
        value["remove_file"] = True
    try:
        answer = answering.save_answer(actor=request.user, assessment=assessment,
                                       question=question, revision=revision, **value)
    except Conflict as conflict:
        return JsonResponse({"error": conflict.message, "conflict": True,
                             **_answer_json(conflict.answer, request)}, status=409)
    except DomainError as error:
        return JsonResponse({"error": error.message, "field": error.field}, status=400)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error) or _("Your role does not allow this here.")},
                            status=403)
    return JsonResponse({"saved": True, **_answer_json(answer, request),
                         "progress": _progress(assessment, access)})


def _progress(assessment, access) -> dict:
    sheet = answering.sheet_of(assessment, access)
    return {"answered": sheet.answered_count, "required": len(sheet.required),
            "percent": sheet.percent, "hidden": sorted(sheet.hidden)}


@require_safe
@requires("alliance.view_region")
def assessment_evidence(request, region_slug, assessment_id, question_id):
    """An evidence file, to whoever sees its question, as a download."""
    assessment, access = load(request, assessment_id)
    answer = get_object_or_404(assessment.answers.select_related("question"),
                               question_id=question_id)
    if not access.sees(answer.question.section_id) or not answer.evidence_file:
        raise Http404
    return attachment(answer.evidence_file,
                      title=(answer.evidence_name.rsplit(".", 1)[0] or "evidence")[:80])


@require_POST
@requires("alliance.view_region")
def assessment_section_save(request, region_slug, assessment_id, section_id):
    """Without script: a section's answers saved at once, each from its revision."""
    assessment, access = load(request, assessment_id)
    if not access.may_answer or not access.sees(section_id):
        raise Http404
    questions = list(answering.questions_of_assessment(assessment)
                     .filter(section_id=section_id))
    if not questions:
        raise Http404
    stored = {a.question_id: a for a in assessment.answers.filter(
        question__in=[q.pk for q in questions])}
    entries = []
    for question in questions:
        prefix = f"q{question.pk}-"
        value = {name: request.POST[prefix + name] for name in answer_fields(question)
                 if prefix + name in request.POST}
        upload = request.FILES.get(prefix + "evidence_file")
        if upload:
            value["evidence_file"] = upload
        try:
            revision = int(request.POST.get(prefix + "revision", "0"))
        except ValueError:
            revision = 0
        if value and _differs(stored.get(question.pk), question, value):
            entries.append((question, revision, value))
    saved, refused_ = [], {}
    if entries:
        try:
            saved, refused_ = answering.save_answers(actor=request.user,
                                                     assessment=assessment, entries=entries)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(assessment_url(assessment))
    errors, conflicts = {}, 0
    for question_id, error in refused_.items():
        if isinstance(error, Conflict):
            conflicts += 1
            errors[question_id] = {"conflict": error}
        else:
            errors[question_id] = {error.field or "choice": error.message}
    if errors:
        if conflicts:
            messages.warning(request, ngettext(
                "Someone else changed %(n)s of these answers while you were editing: check it "
                "below.", "Someone else changed %(n)s of these answers while you were editing: "
                "check them below.", conflicts) % {"n": conflicts})
        assessment.refresh_from_db()
        context = page_context(request, assessment, access, section_id=section_id,
                               errors=errors)
        return render(request, "assessments/assessment_detail.html", context, status=400)
    if saved:
        messages.success(request, _("Answers saved."))
    return redirect(section_url(assessment, section_id))


def _differs(answer, question, value: dict) -> bool:
    """Whether a posted section field changes the stored answer (unchanged ones are not
    saved again, so they cannot conflict)."""
    if answer is None:
        return any(v for v in value.values())
    if value.get("evidence_file"):
        return True
    item = Item(question=question, number=0, answer=answer, hidden=False, choices=[])
    return any(str(v).strip() != str(item.value.get(k, "")).strip() for k, v in value.items())


# -- clarifications, assignments, submit --------------------------------------------------------

@require_safe
@requires("alliance.view_region")
def assessment_question(request, region_slug, assessment_id, question_id):
    """One question's whole discussion: every review comment and the latest hundred
    clarification messages (the assessment's pages show the latest few of each)."""
    assessment, access = load(request, assessment_id)
    numbered = {q.pk: (number, q) for number, q in enumerate(
        asked_questions(assessment), start=1)}
    if question_id not in numbered or not access.sees(numbered[question_id][1].section_id):
        raise Http404
    number, question = numbered[question_id]
    urls = prefixes(assessment)
    html = QuestionHtml(request, may_edit=False, may_clarify=access.may_clarify,
                        question_prefix=urls["question_prefix"],
                        evidence_prefix=urls["evidence_prefix"])
    thread = threads_of(assessment, question_ids=[question.pk], shown=THREAD_PAGE_SHOWN)
    comments = comments_of(assessment, question_ids=[question.pk], shown=None)
    messages_shown = thread.get(question.pk, [])
    back = (reverse("assessment-review", kwargs={"region_slug": region_slug,
                                                 "assessment_id": assessment.pk})
            + f"#question-{question.pk}" if access.may_review
            else question_url(assessment, question))
    return render(request, "assessments/assessment_question.html", {
        "assessment": assessment, "city": assessment.city, "question": question,
        "number": number, "back_url": back,
        "comments": mark_safe("".join(html.comment(c, for_city=access.is_city)
                                      for c in comments.get(question.pk, []))),
        "messages_html": mark_safe("".join(html.message(m) for m in messages_shown)),
        "messages_shown": len(messages_shown),
        "messages_total": thread.totals.get(question.pk, 0),
        "may_clarify": access.may_clarify, "may_review": access.may_review,
    })


@require_POST
@requires("alliance.view_region")
def assessment_clarify(request, region_slug, assessment_id, question_id):
    assessment, access = load(request, assessment_id)
    question = get_object_or_404(Question, pk=question_id)
    if not access.may_clarify or not access.sees(question.section_id):
        raise Http404
    form = ClarifyForm(request.POST)
    then = request.POST.get("next") == "review" and access.may_review
    target = (reverse("assessment-review", kwargs={"region_slug": region_slug,
                                                   "assessment_id": assessment.pk})
              + f"#question-{question.pk}" if then else question_url(assessment, question))
    if form.is_valid():
        with refused_as_message(request):
            answering.clarify(actor=request.user, assessment=assessment, question=question,
                              body=form.cleaned_data["body"])
            messages.success(request, _("Message sent."))
    else:
        messages.error(request, form.errors.get("body", [_("Write a message.")])[0])
    return redirect(target)


@requires("alliance.view_region")
def assessment_assign(request, region_slug, assessment_id):
    assessment, access = load(request, assessment_id)
    if not access.may_assign:
        raise Http404
    sheet = answering.sheet_of(assessment, access)
    form = AssignForm(request.POST or None, sections=sheet.sections)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            assignments.assign(actor=request.user, assessment=assessment,
                               **form.cleaned_data)
            messages.success(request, _("Section assigned: %(email)s is invited to answer it.")
                             % {"email": form.cleaned_data["email"]})
            return redirect(f"{assessment_url(assessment)}#assignments")
    return render(request, "assessments/assessment_assign.html",
                  {"assessment": assessment, "form": form, "city": assessment.city},
                  status=400 if request.method == "POST" else 200)


@require_POST
@requires("alliance.view_region")
def assessment_assignment_remove(request, region_slug, assessment_id, assignment_id):
    assessment, access = load(request, assessment_id)
    if not access.may_assign:
        raise Http404
    assignment = get_object_or_404(SectionAssignment, pk=assignment_id, assessment=assessment)
    with refused_as_message(request):
        assignments.remove(actor=request.user, assignment=assignment)
        messages.success(request, _("Assignment removed."))
    return redirect(f"{assessment_url(assessment)}#assignments")


@require_POST
@requires("alliance.view_region")
def assessment_submit(request, region_slug, assessment_id):
    assessment, access = load(request, assessment_id)
    if not access.may_submit:
        raise Http404
    with refused() as refusal:
        answering.submit(actor=request.user, assessment=assessment)
        messages.success(request, _("Assessment submitted. The secretariat has been told."))
        return redirect(assessment_url(assessment))
    error = refusal.error
    if isinstance(error, answering.Incomplete):
        assessment.refresh_from_db()
        context = page_context(request, assessment, access, missing=error.missing)
        return render(request, "assessments/assessment_detail.html", context, status=400)
    messages.error(request, error.message)
    return redirect(assessment_url(assessment))


P = "<int:assessment_id>/"
urlpatterns = [
    path(P, assessment_detail, name="assessment-detail"),
    path(P + "answers/<int:question_id>/", assessment_answer, name="assessment-answer"),
    path(P + "evidence/<int:question_id>/", assessment_evidence, name="assessment-evidence"),
    path(P + "sections/<int:section_id>/", assessment_section_save,
         name="assessment-section-save"),
    path(P + "questions/<int:question_id>/", assessment_question, name="assessment-question"),
    path(P + "questions/<int:question_id>/clarify/", assessment_clarify,
         name="assessment-clarify"),
    path(P + "assign/", assessment_assign, name="assessment-assign"),
    path(P + "assignments/<int:assignment_id>/remove/", assessment_assignment_remove,
         name="assessment-assignment-remove"),
    path(P + "submit/", assessment_submit, name="assessment-submit"),
]
