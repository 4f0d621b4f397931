"""The questions of the answering and review pages, drawn once per page in Python.

An assessment shows forty questions or more, each with its controls, status, the
secretariat's comments and a clarification thread. Through the template engine each question
costs more than a millisecond (a dozen translated labels, filters and URLs); here the labels,
URLs and date format are looked up once per page and each question is a few string joins.
"""

from __future__ import annotations

import html

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.templatetags.formats import date_formatter, shown_moment
from alliance.templatetags.portal import icon

THREAD_OPEN_UP_TO = 3  # a thread this short is shown open


def escape(text) -> str:
    """Django's `escape` without its lazy-text check: the same text, a thousand times a
    page."""
    return html.escape(str(text))


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class QuestionHtml:
    """One page's drawing of its questions: `answering(item)` for the city's page (controls),
    `reviewing(item)` for the secretariat's (answers read, a comment box)."""

    def __init__(self, request, *, may_edit: bool, may_clarify: bool, question_prefix: str,
                 evidence_prefix: str, thread_next: str = "", may_decide: bool = False,
                 posted_comments: dict | None = None, case_study_url: str = ""):
        self.may_edit = may_edit
        self.may_clarify = may_clarify
        self.question_prefix = question_prefix
        self.evidence_prefix = evidence_prefix
        self.thread_next = thread_next
        self.may_decide = may_decide
        self.posted = posted_comments or {}
        # Where the secretariat turns an answer into a case study for the Hub ("" if it may not).
        self.case_study_url = escape(case_study_url)
        self.csrf = escape(get_token(request))
        self.csrf_input = (f'<input type="hidden" name="csrfmiddlewaretoken" '
                           f'value="{self.csrf}">')
        self._moment = date_formatter("SHORT_DATETIME_FORMAT")
        self._zone = timezone.get_current_timezone()
        self._headings: dict[tuple, str] = {}
        self.t = {
            "required": escape(_("Required")), "required_sr": escape(_("(required)")),
            "clear": escape(_("Clear the choice")), "note": escape(_("Note (optional)")),
            "number": escape(_("Number")), "answer": escape(_("Your answer")),
            "link": escape(_("Link to the evidence")),
            "file": escape(_("Or a file (PDF, Word, Excel, PowerPoint, PNG or JPEG; at most "
                             "20 MB)")),
            "shows": escape(_("What it shows (optional)")), "the_file": escape(_("the file")),
            "someone": _("someone"), "Someone": _("Someone"),
            "ask": escape(_("Ask the secretariat about this question")),
            "message": escape(_("Your message")), "send": escape(_("Send")),
            "secretariat": escape(_("secretariat")),
            "not_answered": escape(_("Not answered")),
            "hidden_rule": escape(_("hidden by its rule")),
            "comment_box": escape(_("Comment for the city (only when returning)")),
            "saved_by": _("Saved %(time)s by %(who)s"),
            "answered_by": _("Answered by %(who)s, %(time)s"),
            "capture": escape(_("Capture as a case study")),
            "round_by": _("Round %(n)s, %(who)s"),
        }
        self.icons = {name: icon(name) for name in (
            "chat-dots", "file-earmark-text", "journal-text", "link-45deg", "send")}

    def moment(self, value) -> str:
        return escape(self.local_moment(value))

    def local_moment(self, value) -> str:
        """`value` as `|when` shows it (the active zone and language), unescaped."""
        return shown_moment(value.astimezone(self._zone), self._moment)

    # -- the city's page ---------------------------------------------------------------------

    def answering(self, item) -> SafeString:
        q, t, pk = item.question, self.t, item.question.pk
        value = item.value
        rule = (f' data-shown-if="{q.shown_if_id}" data-operator="{escape(q.operator)}" '
                f'data-value="{escape(q.value)}"' if q.shown_if_id else "")
        hint_id = f" hint-{pk}" if q.shown_hint else ""
        parts = [
            (f'<div class="question{" has-comment" if item.open_comments else ""}" '
            f'id="question-{pk}" data-question="{pk}" data-kind="{q.kind}" '
            f'data-revision="{item.revision}" data-required="{"1" if q.required else ""}"'
            f'{rule}{" hidden" if item.hidden else ""}>'),
            (f'<fieldset class="answer"{"" if self.may_edit else " disabled"} '
            f'aria-describedby="status-{pk}{hint_id}">'),
            (f'<legend class="question-text"><span class="question-number">{item.number}.'
            f'</span> {escape(q.shown_text)}'),
        ]
        if q.required:
            parts.append(f' <span class="required-mark" title="{t["required"]}">*</span>'
                         f'<span class="visually-hidden">{t["required_sr"]}</span>')
        parts.append("</legend>")
        if q.shown_hint:
            parts.append(f'<p class="form-text mt-0" id="hint-{pk}">{escape(q.shown_hint)}</p>')
        parts += [self.comment(c, for_city=True) for c in item.comments]
        parts.append(self.earlier_comments(item))
        parts.append(self.controls(item, value))
        parts.append(f'<input type="hidden" name="q{pk}-revision" value="{item.revision}" '
                     f'data-revision-field>')
        parts += self.errors(item)
        parts.append("</fieldset>")
        status = ""
        if item.answer is not None:
            who = item.answer.answered_by or t["someone"]
            status = escape(t["saved_by"] % {
                "time": self.local_moment(item.answer.updated_at), "who": who})
        parts.append(f'<p class="answer-status small text-body-secondary mb-0" '
                     f'id="status-{pk}" aria-live="polite" data-status>{status}</p>')
        parts.append('<div class="answer-conflict alert alert-warning" role="alert" '
                     'data-conflict hidden></div>')
        parts.append(self.thread(item))
        parts.append("</div>")
        return mark_safe("".join(parts))

    def controls(self, item, value: dict) -> str:
        q, t, pk = item.question, self.t, item.question.pk
        kind = q.kind
        if item.choices:
            scale = " is-scale" if kind == "maturity" else ""
            options = "".join(
                f'<div class="form-check"><input class="form-check-input" type="radio" '
                f'name="q{pk}-choice" id="q{pk}-{choice}" value="{choice}"'
                f'{" checked" if value["choice"] == choice else ""}>'
                f'<label class="form-check-label" for="q{pk}-{choice}">{escape(label)}</label>'
                f'</div>' for choice, label in item.choices)
            clear = (f'<p class="mb-2"><button type="button" class="btn btn-link btn-sm p-0" '
                     f'data-clear-choice hidden>{t["clear"]}</button></p>'
                     if self.may_edit else "")
            return (f'<div class="answer-choices{scale}" data-field="choice">{options}</div>'
                    f'{clear}<label class="form-label small" for="q{pk}-text">{t["note"]}'
                    f'</label>' + self.textarea(pk, value["text"], 2))
        if kind == "number":
            return (f'<label class="visually-hidden" for="q{pk}-number">{t["number"]}</label>'
                    f'<input class="form-control answer-number" type="text" '
                    f'inputmode="decimal" name="q{pk}-number" id="q{pk}-number" '
                    f'value="{escape(value["number"])}" autocomplete="off">')
        if kind == "text":
            return (f'<label class="visually-hidden" for="q{pk}-text">{t["answer"]}</label>'
                    + self.textarea(pk, value["text"], 4))
        answer = item.answer
        stored = ""
        if answer is not None and answer.evidence_file:
            stored = (f'{self.icons["file-earmark-text"]} <a href="{self.evidence_prefix}{pk}/">'
                      f'{escape(answer.evidence_name or t["the_file"])}</a>')
        upload = (f'<input class="form-control" type="file" name="q{pk}-evidence_file" '
                  f'id="q{pk}-evidence_file" accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg">'
                  if self.may_edit else "")
        return (f'<div class="evidence"><label class="form-label small" '
                f'for="q{pk}-evidence_url">{t["link"]}</label>'
                f'<input class="form-control" type="url" name="q{pk}-evidence_url" '
                f'id="q{pk}-evidence_url" value="{escape(value["evidence_url"])}" '
                f'placeholder="https://" autocomplete="off">'
                f'<label class="form-label small mt-2" for="q{pk}-evidence_file">{t["file"]}'
                f'</label><p class="small mb-1" data-evidence-name>{stored}</p>{upload}'
                f'<label class="form-label small mt-2" for="q{pk}-text">{t["shows"]}</label>'
                + self.textarea(pk, value["text"], 2) + "</div>")

    @staticmethod
    def textarea(pk: int, text: str, rows: int) -> str:
        return (f'<textarea class="form-control" rows="{rows}" name="q{pk}-text" '
                f'id="q{pk}-text" maxlength="10000">\n{escape(text)}</textarea>')

    def errors(self, item) -> list[str]:
        shown = []
        for name, message in item.errors.items():
            if name == "conflict":
                answer = message.answer
                shown.append(
                    '<div class="alert alert-warning mt-2 mb-0" role="alert">' + escape(
                        _("%(who)s changed this answer at %(time)s. Their answer is shown; "
                          "write yours again to keep it.") % {
                            "who": answer.answered_by or self.t["Someone"],
                            "time": self.local_moment(answer.updated_at)}) + "</div>")
            else:
                shown.append(f'<p class="invalid-feedback d-block">{escape(message)}</p>')
        return shown

    def comment(self, comment, *, for_city: bool) -> str:
        if for_city:
            heading = (f'{self.comment_heading(comment.round, comment.resolved)} · '
                       f'{self.moment(comment.created_at)}')
        else:
            heading = escape(self.t["round_by"] % {
                "n": comment.round, "who": comment.author or self.t["someone"]})
        earlier = " is-earlier" if comment.resolved else ""
        return (f'<div class="review-comment{earlier}"><p class="small mb-1">{heading}</p>'
                f'<p class="mb-0">{_lines(comment.body)}</p></div>')

    def comment_heading(self, round_: int, resolved: bool) -> str:
        """The city's heading of a comment of this round, translated once per page."""
        key = (round_, resolved)
        if key not in self._headings:
            heading = (escape(_("Secretariat's comment, round %(n)s") % {"n": round_})
                       if resolved else
                       "<strong>" + escape(_("To fix (round %(n)s)") % {"n": round_})
                       + "</strong>")
            self._headings[key] = f'{self.icons["chat-dots"]} {heading}'
        return self._headings[key]

    # -- the thread --------------------------------------------------------------------------

    def thread(self, item) -> str:
        total = item.thread_total
        if not (self.may_clarify or total):
            return ""
        t, pk = self.t, item.question.pk
        summary = self.counted("messages", total) if total else t["ask"]
        parts = [(f'<details class="answer-thread"'
                 f'{" open" if 0 < total <= THREAD_OPEN_UP_TO else ""}>'
                 f'<summary class="small">{self.icons["chat-dots"]} {summary}</summary>')]
        if total:
            parts.append('<ol class="list-unstyled thread mb-2">')
            earlier = total - len(item.thread)
            if earlier:
                parts.append(f'<li class="small">{self.earlier_link(pk, "earlier", earlier)}'
                             f'</li>')
            parts += [self.message(m) for m in item.thread]
            parts.append("</ol>")
        if self.may_clarify:
            form = f"clarify-{pk}"
            parts.append(
                f'<label class="form-label small" for="{form}-body">{t["message"]}</label>'
                f'<textarea class="form-control" rows="2" name="body" id="{form}-body" '
                f'maxlength="4000" required form="{form}"></textarea>')
            if self.thread_next:
                parts.append(f'<input type="hidden" name="next" value="{self.thread_next}" '
                             f'form="{form}">')
            parts.append(f'<button type="submit" class="btn btn-outline-secondary btn-sm mt-2" '
                         f'form="{form}">{self.icons["send"]}{t["send"]}</button>')
        parts.append("</details>")
        return "".join(parts)

    def earlier_comments(self, item) -> str:
        earlier = item.comments_total - len(item.comments)
        if not earlier:
            return ""
        return (f'<p class="small mb-2">{self.earlier_link(item.question.pk, "comments", earlier)}'
                f'</p>')

    def earlier_link(self, pk: int, what: str, n: int) -> str:
        """A link to the question's page, which shows its whole discussion."""
        return f'<a href="{self.question_prefix}{pk}/">{self.counted(what, n)}</a>'

    def counted(self, what: str, n: int) -> str:
        """A count in words ("messages", "earlier" messages or earlier "comments"),
        translated once per page and count."""
        key = (what, n)
        if key not in self._headings:
            if what == "messages":
                text = ngettext("%(n)s message with the secretariat",
                                "%(n)s messages with the secretariat", n)
            elif what == "earlier":
                text = ngettext("%(n)s earlier message", "%(n)s earlier messages", n)
            else:
                text = ngettext("%(n)s earlier comment", "%(n)s earlier comments", n)
            self._headings[key] = escape(text % {"n": n})
        return self._headings[key]

    def message(self, message) -> str:
        author = escape(message.author or self.t["Someone"])
        role = f' · {self.t["secretariat"]}' if message.from_secretariat else ""
        tone = " from-secretariat" if message.from_secretariat else ""
        return (f'<li class="thread-message{tone}"><p class="small text-body-secondary mb-0">'
                f'{author}{role} · {self.moment(message.created_at)}</p>'
                f'<p class="mb-1">{_lines(message.body)}</p></li>')

    def clarify_forms(self, items) -> SafeString:
        """The clarification forms of a section's questions, outside its answers' form (a
        form may not hold another): each thread's fields name theirs with `form=`."""
        if not self.may_clarify:
            return mark_safe("")
        return mark_safe("".join(
            f'<form id="clarify-{item.question.pk}" method="post" '
            f'action="{self.question_prefix}{item.question.pk}/clarify/">'
            f'{self.csrf_input}</form>' for item in items))

    # -- the review page ---------------------------------------------------------------------

    def reviewing(self, item) -> SafeString:
        q, t, pk, answer = item.question, self.t, item.question.pk, item.answer
        hidden = f' <span class="pill">{t["hidden_rule"]}</span>' if item.hidden else ""
        parts = [(f'<div class="question review-question{" is-hidden" if item.hidden else ""}" '
                 f'id="question-{pk}">'
                 f'<p class="question-text mb-1"><span class="question-number">{item.number}.'
                 f'</span> {escape(q.shown_text)}{hidden}</p><div class="review-answer">')]
        if answer is not None and not answer.is_blank:
            if answer.choice:
                label = dict(item.choices).get(answer.choice, answer.choice)
                parts.append(f'<p class="mb-1"><strong>{escape(label)}</strong></p>')
            if answer.number is not None:
                parts.append(f'<p class="mb-1"><strong>{escape(item.value["number"])}'
                             f'</strong></p>')
            if answer.text:
                parts.append(f'<p class="mb-1">{_lines(answer.text)}</p>')
            if answer.evidence_url:
                parts.append(f'<p class="mb-1">{self.icons["link-45deg"]} '
                             f'<a href="{escape(answer.evidence_url)}" '
                             f'rel="noopener noreferrer">'
                             f'{escape(Truncator(answer.evidence_url).chars(80))}</a></p>')
            if answer.evidence_file:
                parts.append(f'<p class="mb-1">{self.icons["file-earmark-text"]} '
                             f'<a href="{self.evidence_prefix}{pk}/">'
                             f'{escape(answer.evidence_name or t["the_file"])}</a></p>')
            parts.append('<p class="small text-body-secondary mb-1">' + escape(
                t["answered_by"] % {"who": answer.answered_by or t["someone"],
                                    "time": self.local_moment(answer.updated_at)}) + "</p>")
            if self.case_study_url and (answer.text or answer.evidence_url):
                parts.append(f'<p class="small mb-1"><a href="{self.case_study_url}?answer='
                             f'{answer.pk}">{self.icons["journal-text"]} {t["capture"]}</a></p>')
        else:
            parts.append(f'<p class="text-body-secondary mb-1">{t["not_answered"]}</p>')
        parts.append("</div>")
        parts += [self.comment(c, for_city=False) for c in item.comments]
        parts.append(self.earlier_comments(item))
        if self.may_decide:
            parts.append(f'<label class="form-label small" for="comment-{pk}">'
                         f'{t["comment_box"]}</label><textarea class="form-control" rows="2" '
                         f'name="comment-{pk}" id="comment-{pk}" maxlength="4000" '
                         f'form="decide">{escape(self.posted.get(pk, ""))}</textarea>')
        parts.append(self.thread(item))
        parts.append("</div>")
        return mark_safe("".join(parts))

