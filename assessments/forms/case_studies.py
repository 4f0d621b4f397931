"""Forms of the case studies: writing one, and filtering the list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea

from ..models import CaseStudy, ModelPolicy, Principle
from .roadmap import PrincipleChoices


def adopted_policies():
    return ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED).order_by("title")


class CaseStudyForm(forms.Form):
    """`cities`: the cities a city contact speaks for (a list to choose from); None for the
    secretariat, who picks any city of the region."""

    city = forms.ModelChoiceField(queryset=None, label=_("City"), widget=QuickSelect)
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    summary = forms.CharField(label=_("What the city did"),
                              widget=QuickTextarea(attrs={"rows": 5}))
    outcome = forms.CharField(label=_("What came of it"), required=False,
                              widget=QuickTextarea(attrs={"rows": 3}))
    principles = PrincipleChoices(required=False)
    model_policy = forms.ModelChoiceField(queryset=None, label=_("Model policy"),
                                          required=False, widget=QuickSelect)
    link = forms.URLField(label=_("Link"), max_length=500, required=False,
                          assume_scheme="https", widget=QuickInput(attrs={"type": "url"}),
                          help_text=_("Where the initiative is described publicly."))
    contact_name = forms.CharField(label=_("Person to ask"), max_length=120, required=False,
                                   widget=QuickInput)

    def __init__(self, *args, region, cities=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_policy"].queryset = adopted_policies()
        self.fields["model_policy"].label_from_instance = lambda policy: policy.shown_title
        if editing:
            del self.fields["city"]  # a case study stays with its city
        elif cities is None:
            self.fields["city"] = PickerField("cities", label=_("City"))
            bind_pickers(self, region)
        else:
            self.fields["city"].queryset = cities


class CaseStudyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=QuickInput(
        attrs={"type": "search", "placeholder": _("Title or city")}))
    principle = forms.ModelChoiceField(queryset=Principle.objects.all(), required=False,
                                       label=_("Principle"), empty_label=_("Any principle"),
                                       widget=QuickSelect)
    model_policy = forms.ModelChoiceField(queryset=None, required=False,
                                          label=_("Model policy"),
                                          empty_label=_("Any model policy"), widget=QuickSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect,
                              choices=[("", _("Any state")), *CaseStudy.State.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].label_from_instance = lambda principle: principle.label
        # The options show titles: not every adopted policy's whole text.
        self.fields["model_policy"].queryset = adopted_policies().only("title", "translations")
        self.fields["model_policy"].label_from_instance = lambda policy: policy.shown_title
