"""The questionnaire builder (/global/assessments/questionnaires/, the Global Secretariat's)
and a published version's preview as a city sees it, which a region's staff may read too.

Moves and deletions answer htmx with the builder's outline, redrawn in place; without
JavaScript the same forms post and come back to the builder page."""

from functools import partial

from django.contrib import messages
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.pagination import paginate
from alliance.templatetags.portal import icon
from alliance.views import (
    history,
    refused,
    refused_as_message,
    refused_into,
    requires,
    url_prefix,
)

from ..forms.questionnaires import (
    ImportForm,
    NoteForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    TranslationForm,
)
from ..models import (
    MATURITY_LEVELS,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Variant,
)
from ..services import questionnaires as builder
from ..services import xlsform
from ..services.roadmap import translation_languages

MANAGE = "assessments.manage_questionnaires"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _builder_url(version_id: int) -> str:
    return reverse("global:version-detail", kwargs={"version_id": version_id})


def outline_of(version: QuestionnaireVersion, *, variant: str = Variant.FULL) -> list[Section]:
    """The version's sections, each with its questions (`shown`) of the variant, and the
    names their rules refer to: three queries, whatever the size."""
    questions = Question.objects.select_related("shown_if").order_by("position", "id")
    if variant == Variant.SIMPLIFIED:
        questions = questions.filter(in_simplified=True)
    return list(Section.objects.filter(version=version).order_by("position", "id")
                .select_related("principle", "model_policy", "shown_if")
                .prefetch_related(Prefetch("questions", queryset=questions, to_attr="shown")))


# -- questionnaires ---------------------------------------------------------------------------

@requires(MANAGE)
def questionnaire_list(request):
    rows = Questionnaire.objects.annotate(
        version_count=Count("versions"),
        published_count=Count("versions", filter=Q(versions__state="published")),
        latest=Max("versions__number")).order_by("name")
    return render(request, "assessments/questionnaire_list.html",
                  {"page_obj": paginate(request, rows)})


@requires(MANAGE)
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            questionnaire = builder.create_questionnaire(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Questionnaire created with an empty draft, version 1."))
            return redirect("global:questionnaire-detail", questionnaire_id=questionnaire.pk)
    return render(request, "assessments/questionnaire_form.html", {"form": form})


@requires(MANAGE)
def questionnaire_detail(request, questionnaire_id):
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    versions = (QuestionnaireVersion.objects.filter(questionnaire=questionnaire)
                .select_related("based_on", "published_by", "created_by")
                .annotate(section_count=Count("sections", distinct=True),
                          question_count=Count("sections__questions"))
                .order_by("-number"))
    return render(request, "assessments/questionnaire_detail.html", {
        "questionnaire": questionnaire, "page_obj": paginate(request, versions),
        "history": history(request, questionnaire)})


# -- a version: the builder -------------------------------------------------------------------

def _version(version_id) -> QuestionnaireVersion:
    return get_object_or_404(QuestionnaireVersion.objects.select_related(
        "questionnaire", "based_on", "published_by"), pk=version_id)


def _builder_context(request, version) -> dict:
    # Row links built from a prefix once per page, not a {% url %} per row.
    urls = {"section": url_prefix("global:section-edit", "section_id"),
            "question": url_prefix("global:question-edit", "question_id")}
    sections = outline_of(version)
    rows = QuestionRows(request, urls=urls, editable=version.is_draft)
    for section in sections:
        section.rows = rows.of(section.shown)
    return {"version": version, "sections": sections, "editable": version.is_draft,
            "urls": urls, "bits": rows.section_bits}


class QuestionRows:
    """The builder's question rows written in Python: a version's tens of rows, each with
    four forms, cost more through the template engine than the rest of the page. The markup
    around the rows' own values is made once per page (@url@, @first@ and @last@ stand for
    what each row fills in); those values are escaped."""

    def __init__(self, request, *, urls: dict, editable: bool):
        self.prefix, self.editable = urls["question"], editable
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                           get_token(request))
        swap = 'hx-target="#outline" hx-swap="outerHTML"'
        move = ('<form method="post" action="@url@move/" hx-post="@url@move/" %s>%s'
                '<input type="hidden" name="direction" value="%s"><button type="submit" '
                'class="btn btn-sm btn-outline-secondary"@%s@>%s</button></form>')
        self.controls = (
            '<div class="d-flex flex-wrap gap-1">'
            + move % (swap, csrf, "up", "first", icon("arrow-up", _("Move question up")))
            + move % (swap, csrf, "down", "last", icon("arrow-down", _("Move question down")))
            + format_html('<a class="btn btn-sm btn-outline-secondary" href="@url@">{}{}</a>',
                          icon("pencil"), _("Edit"))
            + format_html('<form method="post" action="@url@delete/" hx-post="@url@delete/" '
                          '{} hx-confirm="{}">{}<button type="submit" class="btn btn-sm '
                          'btn-outline-danger">{}</button></form></div>', mark_safe(swap),
                          _("Delete this question?"), csrf, icon("trash", _("Delete question"))))
        # What each section's controls repeat, translated once per page.
        self.section_bits = {
            "csrf": csrf, "up": icon("arrow-up", _("Move section up")),
            "down": icon("arrow-down", _("Move section down")),
            "edit": format_html("{}{}", icon("pencil"), _("Edit")),
            "confirm": _("Delete this section and its questions?"),
            "delete": icon("trash", _("Delete section")),
            "add": format_html("{}{}", icon("plus-lg"), _("Add a question"))}
        self.pill = '<span class="pill">{}</span>'
        self.flags = {"required": self.pill.format(escape(_("required"))),
                      "simplified": self.pill.format(escape(_("simplified")))}
        self.kinds = {k: self.pill.format(escape(label)) for k, label in QuestionKind.choices}
        self.weight = _("weight %(weight)s")

    def of(self, questions) -> str:
        last = len(questions) - 1
        return mark_safe("".join(self._row(q, n == 0, n == last)
                                 for n, q in enumerate(questions)))

    def _row(self, question, first: bool, last: bool) -> str:
        pills = [f"<code>{escape(question.name)}</code>", self.kinds.get(question.kind, ""),
                 self.pill.format(escape(self.weight % {"weight": question.weight}))]
        if question.required:
            pills.append(self.flags["required"])
        if question.in_simplified:
            pills.append(self.flags["simplified"])
        if question.shown_if_id:
            pills.append(f'<span class="pill tone-info">{escape(rule_text(question))}</span>')
        controls = (self.controls.replace("@url@", f"{self.prefix}{question.pk}/")
                    .replace("@first@", " disabled" if first else "")
                    .replace("@last@", " disabled" if last else "")) if self.editable else ""
        return ('<li class="list-group-item d-flex flex-wrap justify-content-between '
                'align-items-start gap-2"><div class="flex-grow-1 ms-2">'
                f'<div>{escape(question.text)}</div><div class="d-flex flex-wrap gap-1 mt-1 '
                f'small">{" ".join(pills)}</div></div>{controls}</li>')


def rule_text(rule) -> str:
    """"Shown if has_policy = yes": the rule of a section or question (shown_if read)."""
    return _("Shown if %(name)s %(operator)s %(value)s") % {
        "name": rule.shown_if.name, "operator": rule.get_operator_display(),
        "value": rule.value}


@requires(MANAGE)
def version_detail(request, version_id):
    version = _version(version_id)
    context = _builder_context(request, version)
    # The outline's rows serve the counts and checks too: no second read of the version.
    sections = context["sections"]
    questions = [question for section in sections for question in section.shown]
    context.update({
        "question_count": len(questions),
        "progress": builder.translation_progress(version, sections=sections,
                                                 questions=questions),
        "problems": builder.publication_problems(version, sections=sections,
                                                 questions=questions)
        if version.is_draft else [],
        "note_form": NoteForm(initial={"note": version.note}),
        "history": history(request, version)})
    return render(request, "assessments/questionnaire_version.html", context)


def _back_to_builder(request, version):
    """htmx: the outline redrawn in place; otherwise the builder page again."""
    if request.headers.get("HX-Request"):
        return render(request, "assessments/_questionnaire_outline.html",
                      _builder_context(request, version))
    return redirect(_builder_url(version.pk))


@require_POST
@requires(MANAGE)
def version_note(request, version_id):
    version = _version(version_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        with refused_as_message(request):
            builder.update_version_note(actor=request.user, version=version,
                                        note=form.cleaned_data["note"])
            messages.success(request, _("Note saved."))
    return redirect(_builder_url(version.pk))


@require_POST
@requires(MANAGE)
def version_publish(request, version_id):
    version = _version(version_id)
    with refused_as_message(request):
        builder.publish_version(actor=request.user, version=version)
        messages.success(request, _("Version %(number)s published: campaigns can use it, and "
                                    "it no longer changes.") % {"number": version.number})
    return redirect(_builder_url(version.pk))


@require_POST
@requires(MANAGE)
def version_new_draft(request, version_id):
    version = _version(version_id)
    with refused_as_message(request):
        draft = builder.new_draft(actor=request.user, version=version)
        messages.success(request, _("Version %(number)s drafted from version %(source)s.")
                         % {"number": draft.number, "source": version.number})
        return redirect(_builder_url(draft.pk))
    return redirect(_builder_url(version.pk))


# -- sections and questions -------------------------------------------------------------------

def _published(request, version):
    """A published version's edit pages lead back to its (read-only) builder."""
    messages.info(request, _("Version %(number)s is published and never changes: make a new "
                             "draft from it to edit.") % {"number": version.number})
    return redirect(_builder_url(version.pk))

def _builder_form(request, version, form, save, done: str, template: str, **context):
    """A builder page's form for a draft version: on a valid POST, `save(**cleaned_data)` (a
    service), then back to the builder saying `done`; a published version leads back to its
    read-only builder."""
    if not version.is_draft:
        return _published(request, version)
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            save(**form.cleaned_data)
            messages.success(request, done)
            return redirect(_builder_url(version.pk))
    return render(request, template, {"form": form, "version": version, **context})


SECTION_FORM = "assessments/questionnaire_section_form.html"
QUESTION_FORM = "assessments/questionnaire_question_form.html"


@requires(MANAGE)
def section_add(request, version_id):
    version = _version(version_id)
    return _builder_form(
        request, version, SectionForm(request.POST or None, version=version),
        partial(builder.add_section, actor=request.user, version=version),
        _("Section added."), SECTION_FORM)


def _section(section_id) -> Section:
    return get_object_or_404(Section.objects.select_related("version__questionnaire"),
                             pk=section_id)


@requires(MANAGE)
def section_edit(request, section_id):
    section = _section(section_id)
    version = section.version
    return _builder_form(
        request, version, SectionForm(request.POST or None, version=version, section=section),
        partial(builder.update_section, actor=request.user, section=section),
        _("Section saved."), SECTION_FORM, section=section)


@require_POST
@requires(MANAGE)
def section_delete(request, section_id):
    section = _section(section_id)
    with refused_as_message(request):
        builder.delete_section(actor=request.user, section=section)
        messages.success(request, _("Section deleted."))
    return _back_to_builder(request, section.version)


@require_POST
@requires(MANAGE)
def section_move(request, section_id):
    section = _section(section_id)
    with refused_as_message(request):
        builder.move_section(actor=request.user, section=section,
                             direction=request.POST.get("direction", ""))
    return _back_to_builder(request, section.version)


@requires(MANAGE)
def question_add(request, section_id):
    section = _section(section_id)
    version = section.version
    return _builder_form(
        request, version, QuestionForm(request.POST or None, version=version),
        partial(builder.add_question, actor=request.user, section=section),
        _("Question added."), QUESTION_FORM, section=section)


def _question(question_id) -> Question:
    return get_object_or_404(Question.objects.select_related("section__version__questionnaire"),
                             pk=question_id)


@requires(MANAGE)
def question_edit(request, question_id):
    question = _question(question_id)
    version = question.section.version
    return _builder_form(
        request, version,
        QuestionForm(request.POST or None, version=version, question=question),
        partial(builder.update_question, actor=request.user, question=question),
        _("Question saved."), QUESTION_FORM, section=question.section, question=question)


@require_POST
@requires(MANAGE)
def question_delete(request, question_id):
    question = _question(question_id)
    with refused_as_message(request):
        builder.delete_question(actor=request.user, question=question)
        messages.success(request, _("Question deleted."))
    return _back_to_builder(request, question.section.version)


@require_POST
@requires(MANAGE)
def question_move(request, question_id):
    question = _question(question_id)
    with refused_as_message(request):
        builder.move_question(actor=request.user, question=question,
                              direction=request.POST.get("direction", ""))
    return _back_to_builder(request, question.section.version)


# -- translations -----------------------------------------------------------------------------

@requires(MANAGE)
def version_translations(request, version_id):
    version = _version(version_id)
    languages = translation_languages()
    language = request.GET.get("language") or languages[0][0]
    if language not in dict(languages):
        raise Http404
    sections = list(Section.objects.filter(version=version).order_by("position", "id"))
    questions = list(Question.objects.filter(section__version=version)
                     .order_by("position", "id"))
    form = TranslationForm(request.POST or None, sections=sections, questions=questions,
                           language=language)
    if request.method == "POST" and version.is_draft and form.is_valid():
        section_texts, question_texts = form.texts()
        with refused_into(form):
            count = builder.save_translations(actor=request.user, version=version,
                                              language=language, sections=section_texts,
                                              questions=question_texts)
            messages.success(request, _("%(count)s translations saved.") % {"count": count})
            return redirect(f"{reverse('global:version-translations', args=[version.pk])}"
                            f"?language={language}")
    progress = builder.translation_progress(version)
    return render(request, "assessments/questionnaire_translations.html", {
        "version": version, "form": form, "language": language, "languages": languages,
        "progress": progress, "editable": version.is_draft,
        "current": next(p for p in progress if p.language == language)})


# -- XLSForm ----------------------------------------------------------------------------------

@requires(MANAGE)
def version_import(request, questionnaire_id):
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with refused(lambda error: form.add_error("file", error.message)) as refusal:
            version = xlsform.import_version(actor=request.user, questionnaire=questionnaire,
                                             upload=upload, filename=upload.name)
            messages.success(request, _("Version %(number)s imported as a draft.")
                             % {"number": version.number})
            return redirect(_builder_url(version.pk))
        problems = getattr(refusal.error, "problems", [])
    return render(request, "assessments/questionnaire_import.html", {
        "questionnaire": questionnaire, "form": form, "problems": problems},
        status=400 if problems else 200)


@requires(MANAGE)
def version_export(request, version_id):
    version = _version(version_id)
    response = HttpResponse(xlsform.export_version(version), content_type=XLSX)
    filename = f"questionnaire-{version.questionnaire_id}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- preview ----------------------------------------------------------------------------------

def _preview(request, version, *, back_url: str):
    variant = request.GET.get("variant", Variant.FULL)
    if variant not in Variant.values:
        variant = Variant.FULL
    sections = [s for s in outline_of(version, variant=variant) if s.shown]
    controls = PreviewControls()
    for section in sections:
        section.preview = mark_safe("".join(controls.question(q) for q in section.shown))
    return render(request, "assessments/questionnaire_preview.html", {
        "version": version, "sections": sections, "variant": variant,
        "variants": Variant.choices, "back_url": back_url,
        "question_count": sum(len(s.shown) for s in sections)})


class PreviewControls:
    """Each question as the answering page asks it, disabled: written in Python, like the
    builder's rows, the markup of each kind made once per page."""

    def __init__(self):
        def radios(options) -> str:
            return ('<div class="d-flex flex-wrap gap-3">' + "".join(
                f'<div class="form-check"><input class="form-check-input" type="radio" '
                f'id="@id@-{value}" name="@id@"><label class="form-check-label" '
                f'for="@id@-{value}">{escape(label)}</label></div>' for value, label in options)
                + "</div>")

        self.inputs = {
            QuestionKind.YES_PARTIAL_NO: radios([("yes", _("Yes")), ("partial", _("Partly")),
                                                 ("no", _("No"))]),
            QuestionKind.MATURITY: radios([(str(n), str(n))
                                           for n in range(MATURITY_LEVELS + 1)]),
            QuestionKind.NUMBER: (f'<label class="visually-hidden" for="@id@">'
                                  f'{escape(_("Number"))}</label><input class="form-control" '
                                  f'type="number" id="@id@">'),
            QuestionKind.TEXT: (f'<label class="visually-hidden" for="@id@">'
                                f'{escape(_("Answer"))}</label><textarea class="form-control" '
                                f'rows="3" id="@id@"></textarea>'),
            QuestionKind.EVIDENCE: (
                f'<div class="d-flex flex-column gap-2"><div><label class="form-label" '
                f'for="@id@-file">{escape(_("A file"))}</label><input class="form-control" '
                f'type="file" id="@id@-file"></div><div><label class="form-label" '
                f'for="@id@-url">{escape(_("or a link"))}</label><input class="form-control" '
                f'type="url" id="@id@-url"></div></div>')}
        self.required = (f' <span class="text-body-secondary small">'
                         f'({escape(_("required"))})</span>')

    def question(self, question) -> str:
        key = f"p{question.pk}"
        rule = (f' <span class="pill tone-info">{escape(rule_text(question))}</span>'
                if question.shown_if_id else "")
        return (f'<fieldset class="mb-4" disabled aria-describedby="{key}-hint">'
                f'<legend class="fs-6 fw-semibold">{escape(question.shown_text)}'
                f'{self.required if question.required else ""}</legend>'
                f'<div class="form-text mb-2" id="{key}-hint">{escape(question.shown_hint)}'
                f'{rule}</div>{self.inputs.get(question.kind, "").replace("@id@", key)}'
                "</fieldset>")


@requires(MANAGE)
def version_preview(request, version_id):
    version = _version(version_id)
    return _preview(request, version, back_url=_builder_url(version.pk))


@requires("assessments.view_questionnaires")
def questionnaire_preview(request, region_slug, version_id):
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), pk=version_id,
        state=QuestionnaireVersion.State.PUBLISHED)
    return _preview(request, version, back_url="")


urlpatterns = [
    path("questionnaires/<int:version_id>/", questionnaire_preview,
         name="questionnaire-preview"),
]
global_urlpatterns = [
    path("questionnaires/", questionnaire_list, name="questionnaire-list"),
    path("questionnaires/new/", questionnaire_create, name="questionnaire-create"),
    path("questionnaires/<int:questionnaire_id>/", questionnaire_detail,
         name="questionnaire-detail"),
    path("questionnaires/<int:questionnaire_id>/import/", version_import,
         name="version-import"),
    path("versions/<int:version_id>/", version_detail, name="version-detail"),
    path("versions/<int:version_id>/note/", version_note, name="version-note"),
    path("versions/<int:version_id>/publish/", version_publish, name="version-publish"),
    path("versions/<int:version_id>/new-draft/", version_new_draft, name="version-new-draft"),
    path("versions/<int:version_id>/translations/", version_translations,
         name="version-translations"),
    path("versions/<int:version_id>/export/", version_export, name="version-export"),
    path("versions/<int:version_id>/preview/", version_preview, name="version-preview"),
    path("versions/<int:version_id>/sections/new/", section_add, name="section-add"),
    path("sections/<int:section_id>/", section_edit, name="section-edit"),
    path("sections/<int:section_id>/delete/", section_delete, name="section-delete"),
    path("sections/<int:section_id>/move/", section_move, name="section-move"),
    path("sections/<int:section_id>/questions/new/", question_add, name="question-add"),
    path("questions/<int:question_id>/", question_edit, name="question-edit"),
    path("questions/<int:question_id>/delete/", question_delete, name="question-delete"),
    path("questions/<int:question_id>/move/", question_move, name="question-move"),
]
