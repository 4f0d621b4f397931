"""Forms of the questionnaire builder (the Global Secretariat's): questionnaires, sections,
questions with their rules, translations and the XLSForm import."""

from pathlib import PurePath

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.widgets import QuickTextarea

from ..models import (
    Condition,
    ModelPolicy,
    Principle,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
)

MAX_UPLOAD = 5 * 1024 * 1024


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What changed"), required=False,
                           widget=QuickTextarea(attrs={"rows": 2}))


class PrincipleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class RuleQuestionChoice(forms.ModelChoiceField):
    """An earlier question of the same version (the services refuse a later one)."""

    def label_from_instance(self, obj):
        return f"{obj.name}: {obj.text[:60]}"


class RuleFields(forms.Form):
    """shown_if / operator / value: a select over this version's questions (a version holds
    tens of them, not a region's thousands of rows)."""

    def add_rule_fields(self, version, exclude=None):
        questions = Question.objects.filter(section__version=version).order_by(
            "section__position", "section_id", "position", "id")
        if exclude is not None:
            questions = questions.exclude(pk=exclude)
        self.fields["shown_if"] = RuleQuestionChoice(
            queryset=questions, required=False, label=_("Shown only if the answer to"),
            empty_label=_("Always shown"),
            help_text=_("An earlier question of this version."))
        self.fields["operator"] = forms.ChoiceField(
            label=_("is"), required=False, choices=[("", "—"), *Condition.choices])
        self.fields["value"] = forms.CharField(
            label=_("the value"), required=False, max_length=100,
            help_text=_("yes, partial or no; a maturity level 0-4; a number; a text."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shown_if") is not None:
            if not cleaned.get("operator"):
                self.add_error("operator", _("Choose how the answer is compared."))
            if not (cleaned.get("value") or "").strip():
                self.add_error("value", _("Say which answer shows it."))
        return cleaned


class SectionForm(RuleFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    name = forms.SlugField(label=_("Name"), max_length=60,
                           help_text=_("Its name in the spreadsheet: letters, digits, - and _."))
    principle = PrincipleChoice(queryset=Principle.objects.all(), required=False,
                                label=_("Principle"), empty_label=_("None"))
    model_policy = forms.ModelChoiceField(
        queryset=ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED),
        required=False, label=_("Model policy"), empty_label=_("None"))

    def __init__(self, *args, version, section: Section | None = None, **kwargs):
        if section is not None:
            kwargs.setdefault("initial", {
                "title": section.title, "name": section.name,
                "principle": section.principle_id, "model_policy": section.model_policy_id,
                "shown_if": section.shown_if_id, "operator": section.operator,
                "value": section.value})
        super().__init__(*args, **kwargs)
        if section is not None and section.model_policy_id:
            # A policy retired since stays choosable for the section that names it.
            self.fields["model_policy"].queryset = ModelPolicy.objects.filter(
                Q(status=ModelPolicy.Status.ADOPTED) | Q(pk=section.model_policy_id))
        self.add_rule_fields(version)


class QuestionForm(RuleFields):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.SlugField(label=_("Name"), max_length=60,
                           help_text=_("Unique in the version; what rules refer to."))
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    hint = forms.CharField(label=_("Hint"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_value=999.99,
                                decimal_places=2, initial=1)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    in_simplified = forms.BooleanField(label=_("In the simplified variant"), required=False,
                                       initial=True)

    def __init__(self, *args, version, question: Question | None = None, **kwargs):
        if question is not None:
            kwargs.setdefault("initial", {
                name: getattr(question, name) for name in (
                    "text", "name", "kind", "hint", "weight", "required", "in_simplified",
                    "operator", "value")} | {"shown_if": question.shown_if_id})
        super().__init__(*args, **kwargs)
        self.add_rule_fields(version, exclude=question.pk if question else None)


class TranslationForm(forms.Form):
    """One language's texts of a version: a field per section title, question text and hint,
    each shown beside its English."""

    def __init__(self, *args, sections, questions, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for section in sections:
            self.rows.append(self._add(f"s{section.pk}-title", section, "title",
                                       section.title, language, _("Section title")))
            for question in (q for q in questions if q.section_id == section.pk):
                self.rows.append(self._add(f"q{question.pk}-text", question, "text",
                                           question.text, language, question.name))
                if question.hint:
                    self.rows.append(self._add(f"q{question.pk}-hint", question, "hint",
                                               question.hint, language,
                                               _("%(name)s, hint") % {"name": question.name}))

    def _add(self, key, row, field_name, english, language, label):
        current = (row.translations.get(language) or {}).get(field_name, "")
        self.fields[key] = forms.CharField(
            label=label, required=False, initial=current,
            widget=forms.Textarea(attrs={"rows": 2, "lang": language}))
        return {"field": self[key], "english": english, "is_section": key.startswith("s")}

    def texts(self) -> tuple[dict, dict]:
        """({section id: {"title": ...}}, {question id: {"text": ..., "hint": ...}})."""
        sections, questions = {}, {}
        for key, value in self.cleaned_data.items():
            head, field_name = key.split("-")
            target = sections if head[0] == "s" else questions
            target.setdefault(int(head[1:]), {})[field_name] = value
        return sections, questions


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm spreadsheet (.xlsx)"),
                           help_text=_("At most 5 MB. The import makes a new draft version."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
