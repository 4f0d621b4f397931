"""Forms of the Policy Roadmap: a region's proposal, the Global Secretariat's model policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ModelPolicy, Principle
from ..services.roadmap import CHECKLIST, TRANSLATED, translation_languages

NOT_TICKED = _("A proposal meets all three conditions of the playbook: confirm this one.")


class PrincipleChoices(forms.ModelMultipleChoiceField):
    """The five principles as checkboxes, named in the reader's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Principle.objects.all(), label=_("Principles it serves"),
                         **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class PolicyFields(forms.ModelForm):
    principles = PrincipleChoices(
        error_messages={"required": _("Choose at least one principle this policy serves.")})
    reference_url = forms.URLField(
        label=_("reference link"), max_length=500, assume_scheme="https",
        help_text=_("Where anyone can verify the reference."))

    class Meta:
        model = ModelPolicy
        fields = ["title", "summary", "principles", "reference_title", "reference_url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_title"].required = True


class ProposalForm(PolicyFields):
    """A region's proposal with the playbook's checklist: all three must be ticked."""

    class Meta(PolicyFields.Meta):
        fields = [*PolicyFields.Meta.fields, "task_force", *CHECKLIST, "consistency_note"]
        widgets = {**PolicyFields.Meta.widgets,
                   "task_force": forms.Textarea(attrs={"rows": 3}),
                   "consistency_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_force"].required = True

    def clean(self):
        cleaned = super().clean()
        for name in CHECKLIST:
            if not cleaned.get(name):
                self.add_error(name, NOT_TICKED)
        return cleaned


class PolicyForm(PolicyFields):
    """The Global Secretariat's model policy, with its title and summary in each interface
    language (blank: the English shows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations if self.instance.pk else {}
        for code, name in translation_languages():
            texts = stored.get(code) or {}
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False,
                max_length=200, initial=texts.get("title", ""))
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}), initial=texts.get("summary", ""))

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PolicyFields.Meta.fields}
        data["translations"] = {
            code: {f: self.cleaned_data.get(f"{f}_{code}", "") for f in TRANSLATED}
            for code, _name in translation_languages()}
        return data

    def translation_fields(self):
        return [self[name] for name in self.fields if name.split("_")[0] in TRANSLATED
                and name not in PolicyFields.Meta.fields]

    def main_fields(self):
        return [self[name] for name in PolicyFields.Meta.fields]
