"""Forms of the region's assessment schedule, busy periods, campaigns and progress page."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickRadioSelect, QuickSelect

from ..models import Assessment, AssessmentSettings, BusyPeriod, Variant
from ..services import campaigns

DATE = {"type": "date"}


def month_choices() -> list[tuple[int, str]]:
    return [(month, formats.date_format(date(2024, month, 1), "F")) for month in range(1, 13)]


class ScheduleForm(forms.ModelForm):
    opening_month = forms.TypedChoiceField(
        label=_("Month the campaign opens"), coerce=int, required=False, empty_value=None,
        widget=QuickSelect, help_text=_("In this month a draft campaign is prepared for the "
                                        "secretariat to review and launch."))

    class Meta:
        model = AssessmentSettings
        fields = ["opening_month", "window_weeks", "reminder_days"]
        widgets = {"window_weeks": QuickInput(attrs={"type": "number", "min": 1, "max": 52}),
                   "reminder_days": QuickInput(attrs={"type": "number", "min": 1,
                                                      "max": 60})}
        help_texts = {"window_weeks": _("From the day it opens to the deadline."),
                      "reminder_days": _("Cities that have not submitted are reminded this "
                                         "often; reminders stop once they submit.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening_month"].choices = [("", _("No annual schedule")),
                                                *month_choices()]


class BusyPeriodForm(forms.ModelForm):
    class Meta:
        model = BusyPeriod
        fields = ["name", "start_month", "start_day", "end_month", "end_day"]
        widgets = {"name": QuickInput(attrs={"placeholder": _("e.g. Year end")}),
                   "start_month": QuickSelect, "end_month": QuickSelect,
                   "start_day": QuickInput(attrs={"type": "number", "min": 1, "max": 31}),
                   "end_day": QuickInput(attrs={"type": "number", "min": 1, "max": 31})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_month", "end_month"):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, coerce=int, widget=QuickSelect,
                choices=[("", "")] + month_choices())

    def clean(self):
        cleaned = super().clean()
        for prefix in ("start", "end"):
            month, day = cleaned.get(f"{prefix}_month"), cleaned.get(f"{prefix}_day")
            if month and day and day > calendar.monthrange(2024, month)[1]:
                self.add_error(f"{prefix}_day", _("%(month)s has no day %(day)s.") % {
                    "month": dict(month_choices())[month], "day": day})
        return cleaned


BusyPeriodFormSet = forms.modelformset_factory(BusyPeriod, form=BusyPeriodForm, extra=1,
                                               can_delete=True, max_num=30,
                                               validate_max=True)


class CampaignForm(forms.Form):
    """A campaign's draft. A window over one of the region's busy periods is warned about
    (not refused): the form comes back with the warning and a tick to keep the window."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              widget=QuickInput(attrs={"type": "number"}))
    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=None,
                                     empty_label=None, widget=QuickSelect,
                                     help_text=_("Published versions only: they never "
                                                 "change."))
    variant = forms.ChoiceField(label=_("Variant"), choices=Variant.choices,
                                widget=QuickRadioSelect, initial=Variant.FULL)
    opens_on = forms.DateField(label=_("Opens on"), widget=QuickInput(attrs=DATE))
    closes_on = forms.DateField(label=_("Deadline"), widget=QuickInput(attrs=DATE))
    reminder_days = forms.IntegerField(
        label=_("Days between reminders"), min_value=1, max_value=60, initial=7,
        widget=QuickInput(attrs={"type": "number"}),
        help_text=_("Cities that have not submitted are reminded this often."))
    keep_busy_window = forms.BooleanField(
        label=_("Keep this window although it overlaps a busy period"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.busy: list[BusyPeriod] = []
        self.fields["version"].queryset = campaigns.published_versions()
        self.fields["version"].label_from_instance = _version_label
        if not self.is_bound:
            del self.fields["keep_busy_window"]

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on:
            if closes_on <= opens_on:
                self.add_error("closes_on", _("The deadline must come after the day the "
                                              "campaign opens."))
            else:
                self.busy = campaigns.busy_periods_over(self.region, opens_on, closes_on)
        if not self.busy:
            # The tick shows only beside the warning it answers.
            self.fields.pop("keep_busy_window", None)
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        """The window overlaps a busy period and the tick to keep it is not given."""
        return bool(self.busy) and not self.cleaned_data.get("keep_busy_window")

    def fields_to_save(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name != "keep_busy_window"}


def _version_label(version) -> str:
    return f"{version.questionnaire.name} · v{version.number}"


class AddCityForm(forms.Form):
    # A picker: a region holds thousands of cities.
    city = PickerField("cities", label=_("City that opted in"))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class ProgressFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect,
                              choices=[("", _("Any state")), *Assessment.State.choices])
    q = forms.CharField(label=_("City"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search",
                                                 "placeholder": _("Part of the name")}))
