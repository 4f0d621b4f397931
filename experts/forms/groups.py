"""Forms of the working groups, their members and sessions, their lead's delegation notes,
and the Senior Advisory Board's candidates."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea

from ..models import AdvisorCandidate, AdvisorStatus, Cadence, Gender
from ..services import groups

DATE = {"type": "date"}
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


class MomentInput(forms.DateTimeInput):
    """A date and time in the region's zone (the browser's datetime-local control)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=MOMENT_FORMAT)

    def render(self, name, value, attrs=None, renderer=None):
        return QuickInput.render(self, name, value, attrs, renderer)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, widget=QuickInput)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False, widget=QuickInput)
    model_policy = forms.ModelChoiceField(
        queryset=None, label=_("Model policy"), required=False, widget=QuickSelect,
        empty_label=_("None"), help_text=_("An adopted model policy of the Policy Roadmap."))
    purpose = forms.CharField(label=_("Purpose"), required=False,
                              widget=QuickTextarea(attrs={"rows": 4}))
    cadence = forms.ChoiceField(
        label=_("Cadence"), choices=Cadence.choices, initial=Cadence.TWICE_YEARLY,
        widget=QuickSelect, help_text=_("The playbook's working groups meet once or twice a "
                                        "year."))
    lead = PickerField("group-leads", label=_("Lead"), required=False, help_text=_(
        "A member of the secretariat, or an expert or city contact with an account. The lead "
        "manages this group's members and sessions, and no other group's."))
    lead_scope = forms.CharField(label=_("The lead's scope"), required=False,
                                 max_length=2000, widget=QuickTextarea(attrs={"rows": 2}),
                                 help_text=_("What is handed over, in writing."))
    lead_review_on = forms.DateField(label=_("Review the delegation on"), required=False,
                                     widget=QuickInput(attrs=DATE))

    def __init__(self, *args, region, current_review_on=None, **kwargs):
        """`current_review_on`: the running delegation's review date, which may have passed
        (an overdue review does not stop the group's other changes)."""
        super().__init__(*args, **kwargs)
        self.current_review_on = current_review_on
        self.fields["model_policy"].queryset = groups.adopted_policies().only(
            "title", "translations")
        self.fields["model_policy"].label_from_instance = lambda policy: policy.shown_title
        bind_pickers(self, region)

    def clean_lead_review_on(self):
        review_on = self.cleaned_data["lead_review_on"]
        if review_on and review_on != self.current_review_on and (
                review_on <= timezone.localdate()):
            raise forms.ValidationError(_("The review date must be in the future."))
        return review_on


class MemberForm(forms.Form):
    """An expert or a city contact, each chosen with a picker of the group."""

    expert = PickerField("group-experts", label=_("Expert"), required=False,
                         help_text=_("Confirmed and active experts of the region."))
    contact = PickerField("group-contacts", label=_("City contact"), required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, group.region)
        # Searched through the group's own address: its lead may search without the role.
        for name, url_name in (("expert", "group-pick-experts"),
                               ("contact", "group-pick-contacts")):
            self.fields[name].widget.source_url = reverse(url_name, kwargs={
                "region_slug": group.region.slug, "working_group_id": group.pk})

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("expert") is None) == (data.get("contact") is None):
            raise forms.ValidationError(_("Choose an expert or a city contact (one at a "
                                          "time)."))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=MomentInput,
                                    input_formats=[MOMENT_FORMAT, "%Y-%m-%d %H:%M"],
                                    help_text=_("In the region's time zone."))
    location = forms.CharField(label=_("Venue or link"), max_length=300, required=False,
                               widget=QuickInput)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=QuickTextarea(attrs={"rows": 4}))


class CandidateForm(forms.ModelForm):
    class Meta:
        model = AdvisorCandidate
        fields = ["name", "organization", "position", "gender", "viable_speaker",
                  "high_influence", "low_burden", "status", "notes"]
        widgets = {"name": QuickInput, "organization": QuickInput, "position": QuickInput,
                   "gender": QuickSelect(choices=Gender.choices),
                   "status": QuickSelect(choices=AdvisorStatus.choices),
                   "notes": QuickTextarea(attrs={"rows": 3})}
        labels = {"name": _("Name"), "organization": _("Organization"),
                  "position": _("Position"), "gender": _("Gender"),
                  "viable_speaker": _("Viable speaker at Forum events"),
                  "high_influence": _("High influence in the region"),
                  "low_burden": _("Low stakeholder-management burden"),
                  "status": _("Status"), "notes": _("Notes")}
        help_texts = {"viable_speaker": _("Senior enough to be an approved speaker at an "
                                          "official Forum summit.")}
