"""Forms of the answering and review pages. The answers themselves are not a Django form:
the page writes one control per question kind and the service checks what is posted."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.widgets import QuickInput, QuickSelect, QuickTextarea

from ..models import QuestionKind

MESSAGE_MAX = 4000


def answer_fields(question) -> tuple[str, ...]:
    """The posted fields a question of this kind takes (besides an evidence file)."""
    return {
        QuestionKind.YES_PARTIAL_NO: ("choice", "text"),
        QuestionKind.MATURITY: ("choice", "text"),
        QuestionKind.NUMBER: ("number",),
        QuestionKind.TEXT: ("text",),
        QuestionKind.EVIDENCE: ("evidence_url", "text"),
    }[question.kind]


class ClarifyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=MESSAGE_MAX,
                           widget=QuickTextarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int, widget=QuickSelect)
    email = forms.EmailField(label=_("Colleague's email"),
                             widget=QuickInput(attrs={"type": "email", "autocomplete": "off"}))
    name = forms.CharField(label=_("Colleague's name"), max_length=120, required=False,
                           widget=QuickInput)
    department = forms.CharField(label=_("Department"), max_length=120, required=False,
                                 widget=QuickInput)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        # A questionnaire's sections: a dozen at most, never a list that grows with the region.
        self.fields["section"].choices = [(s.pk, s.shown_title) for s in sections]
        self.sections = {s.pk: s for s in sections}

    def clean_section(self):
        return self.sections[self.cleaned_data["section"]]


class ReviewForm(forms.Form):
    """Return with comments on particular questions (`comment-<question id>` fields) or
    accept."""

    decision = forms.ChoiceField(choices=[("return", _("Return to the city")),
                                          ("accept", _("Accept"))])
