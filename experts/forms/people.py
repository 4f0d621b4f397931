"""Forms of the experts area 'people': stakeholders, the directory's filters and the expert's
own profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickRadioSelect, QuickSelect, QuickTextarea
from assessments.models import ModelPolicy, Principle
from cities.models import Channel

from ..models import (
    PUBLIC_FIELD_CHOICES,
    Sector,
    Stakeholder,
    StakeholderKind,
    StakeholderStatus,
)
from ..services import profile

# -- stakeholders -------------------------------------------------------------------------------


class StakeholderForm(forms.ModelForm):
    """What the secretariat records of a stakeholder; the status moves on its own control."""

    owner = PickerField("owners", label=_("Owner"), required=False)

    class Meta:
        model = Stakeholder
        fields = ["name", "kind", "is_national_government", "organization", "involvement",
                  "involvement_note", "channel", "contact_name", "contact_email", "owner",
                  "notes"]
        widgets = {"name": QuickInput, "organization": QuickInput, "contact_name": QuickInput,
                   "contact_email": QuickInput(attrs={"type": "email"}),
                   "kind": QuickSelect, "involvement": QuickSelect, "channel": QuickSelect,
                   "involvement_note": QuickTextarea(attrs={"rows": 3}),
                   "notes": QuickTextarea(attrs={"rows": 3})}
        help_texts = {
            "is_national_government": _("Approaching a national government official or a "
                                        "Forum Partner needs a Forum reviewer's engagement "
                                        "clearance first."),
            "involvement_note": _("For example: shares expertise at the regular meetings, "
                                  "disseminates news to its members."),
            "channel": _("How the region reaches them. For a Forum Partner or a national "
                         "government, check the channel with the Forum's Primary Engagement "
                         "Manager."),
        }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("Not chosen yet"))] + Channel.choices
        bind_pickers(self, region)


class StakeholderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=QuickInput(
        attrs={"type": "search", "placeholder": _("Name, organization or contact")}))
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect,
                             choices=[("", _("Any kind"))] + StakeholderKind.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect,
                               choices=[("", _("Any status"))] + StakeholderStatus.choices)


class StatusMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=StakeholderStatus.choices,
                           widget=QuickSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=QuickInput)


# -- the directory ------------------------------------------------------------------------------


def adopted_policies():
    return (ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED)
            .only("title", "translations").order_by("title"))


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters; the principles and adopted model policies of the
    Policy Roadmap, the languages and the sectors are short lists of the whole network."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=QuickInput(
        attrs={"type": "search", "placeholder": _("Name or organization")}))
    principle = forms.ModelChoiceField(queryset=Principle.objects.all(), required=False,
                                       label=_("Principle"), empty_label=_("Any principle"),
                                       widget=QuickSelect)
    model_policy = forms.ModelChoiceField(queryset=None, required=False,
                                          label=_("Model policy"),
                                          empty_label=_("Any model policy"), widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=QuickSelect,
                               choices=[("", _("Any sector"))] + Sector.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].label_from_instance = lambda principle: principle.label
        self.fields["model_policy"].queryset = adopted_policies()
        self.fields["model_policy"].label_from_instance = lambda policy: policy.shown_title
        self.fields["language"].choices = ([("", _("Any language"))]
                                           + profile.language_choices())

    def filters(self) -> dict:
        """Keyword arguments for experts.services.profile.directory_of (a valid form only)."""
        data = self.cleaned_data
        return {"q": data.get("q", ""), "principle": data.get("principle"),
                "model_policy": data.get("model_policy"), "language": data.get("language", ""),
                "sector": data.get("sector", "")}


# -- the expert's own profile -------------------------------------------------------------------


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes written in Python (as alliance.widgets.QuickRadioSelect writes radios): the
    profile's languages, principles, policies and public fields are some fifty boxes, each a
    template render through Django's widget templates."""

    render = QuickRadioSelect.render


class LinksField(forms.CharField):
    """Web addresses, one a line."""

    widget = QuickTextarea

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class ProfileForm(forms.Form):
    bio = forms.CharField(label=_("Biography"), required=False, max_length=profile.MAX_BIO,
                          widget=QuickTextarea(attrs={"rows": 6}))
    links = LinksField(label=_("Links"), required=False,
                       widget=QuickTextarea(attrs={"rows": 3}),
                       help_text=_("One web address a line: your organization's page, a "
                                   "publication, a profile."))
    languages = forms.MultipleChoiceField(label=_("Languages you work in"), required=False,
                                          widget=QuickCheckboxes)
    principles = forms.ModelMultipleChoiceField(
        queryset=Principle.objects.all(), required=False, label=_("Principles you know"),
        widget=QuickCheckboxes)
    model_policies = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Model policies you know"),
        widget=QuickCheckboxes)
    public_fields = forms.MultipleChoiceField(
        label=_("Shown to others in the directory"), required=False,
        choices=PUBLIC_FIELD_CHOICES, widget=QuickCheckboxes,
        help_text=_("Your name and sector are always shown; the rest only when ticked here. "
                    "“Topics” are the principles and model policies you know."))

    def __init__(self, *args, expert, **kwargs):
        kwargs.setdefault("initial", {
            "bio": expert.bio, "links": expert.links, "languages": expert.languages,
            "principles": list(expert.principles.all()),
            "model_policies": list(expert.model_policies.all()),
            "public_fields": expert.public_fields})
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = profile.language_choices(expert.languages or ())
        self.fields["principles"].label_from_instance = lambda principle: principle.label
        policies = adopted_policies()
        if policies.exists():
            self.fields["model_policies"].queryset = policies
            self.fields["model_policies"].label_from_instance = lambda policy: policy.shown_title
        else:  # no model policy adopted yet: nothing to tick
            del self.fields["model_policies"]
