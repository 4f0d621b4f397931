"""Outreach forms. Querysets of scoped models are set per request (in the region's scope)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickRadioSelect, QuickSelect, QuickTextarea
from cities.models import Contact, PartnerNetwork

from .models import Letter, LetterKind, LetterOfIntent, LetterTemplate, Material

# If a merge field is added in services.letter_templates.MERGE_FIELDS, name it here too.
MERGE_HELP = _("Merge fields: {{ city }}, {{ contact }}, {{ region }}, {{ sender }}.")


class LetterFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect,
                              choices=[("", _("Any state"))] + Letter.State.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect,
                             choices=[("", _("Any kind"))] + LetterKind.choices)


class ChooseCityForm(forms.Form):
    # A picker: a region holds thousands of cities.
    city = PickerField("cities", label=_("City"))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


NO_RECIPIENT = _("No named recipient (e.g. an inquiry form)")


class LetterCreateForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Recipient"), queryset=None, required=False,
                                     empty_label=NO_RECIPIENT)
    template = forms.ModelChoiceField(label=_("Template"), queryset=None, required=False,
                                      empty_label=_("No template: write it yourself"))
    kind = forms.ChoiceField(label=_("Kind"), choices=LetterKind.choices, required=False,
                             help_text=_("Used when no template is chosen."))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(city=city)
        self.fields["template"].queryset = LetterTemplate.objects.filter(region=city.region)


class RecipientForm(forms.Form):
    """Another of the city's contacts (a city has a handful), while the letter is a draft."""

    contact = forms.ModelChoiceField(label=_("Recipient"), queryset=None, required=False,
                                     empty_label=NO_RECIPIENT, widget=QuickSelect())

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(city=city)


class LetterForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = ["subject", "body", "char_limit"]
        # Written in Python (alliance.widgets): every view of a draft renders this form.
        # The live count (outreach/_char_count.html) describes the text field.
        widgets = {"subject": QuickInput(),
                   "body": QuickTextarea(attrs={"rows": 14, "aria-describedby": "body-count"}),
                   "char_limit": QuickInput(attrs={"type": "number", "min": 0})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kept as typed, so the stored length is the one the live counter showed.
        self.fields["body"].strip = False


class AnswerForm(forms.Form):
    ANSWERED, NO_ANSWER = "answered", "no_answer"
    outcome = forms.ChoiceField(label=_("Outcome"), widget=QuickRadioSelect,
                                choices=[(ANSWERED, _("The city answered")),
                                         (NO_ANSWER, _("No answer"))])
    note = forms.CharField(label=_("Note"), required=False,
                           widget=QuickTextarea(attrs={"rows": 3}))


class IntentForm(forms.ModelForm):
    """A letter of intent's one form: the letter's subject and covering text, then its terms
    (the approval covers them all)."""

    subject = forms.CharField(label=_("Subject"), max_length=200, widget=QuickInput())
    # Kept as typed, as in the letter editor.
    body = forms.CharField(label=_("Covering text"), strip=False,
                           widget=QuickTextarea(attrs={"rows": 8}))

    class Meta:
        model = LetterOfIntent
        fields = ["subject", "body", *LetterOfIntent.CONTENT]
        # Written in Python (alliance.widgets): nine controls on every view of the draft.
        widgets = {f: QuickInput() if f == "validity_period" else QuickTextarea(attrs={"rows": 3})
                   for f in LetterOfIntent.CONTENT}


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Signed copy"),
                           help_text=_("PDF, JPEG or PNG, at most 10 MB."),
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["name", "kind", "language", "subject", "body", "char_limit"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"body": MERGE_HELP}


class PartnerNetworkForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = PartnerNetwork
        fields = ["name", "kind", "website", "contact_name", "contact_email",
                  "is_forum_partner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("File"),
                           help_text=_("PDF, Word, PowerPoint, Excel, PNG or JPEG, at most "
                                       "20 MB."),
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.png,.jpg,.jpeg"}))


class MaterialFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language"))] + list(settings.LANGUAGES))
