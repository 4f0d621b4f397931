"""Forms of the plans area: an event, cancelling it, the next meeting's date, an agenda item,
a meeting series, handing a series over, the list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea

from ..models import Audience, EventFormat, EventKind, EventState
from ..services import agendas, events

DATE = {"type": "date"}
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
MOMENT_FORMATS = [MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MomentInput(forms.DateTimeInput):
    """A date and time in the region's zone (the browser's datetime-local control)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=MOMENT_FORMAT)

    def render(self, name, value, attrs=None, renderer=None):
        return QuickInput.render(self, name, value, attrs, renderer)


def point_pickers(form: forms.BaseForm, url_of) -> None:
    """Search the pickers through another address (`url_of(picker_name)`): a series'
    delegate searches through their event's or series' own, not the region's."""
    for field in form.fields.values():
        if isinstance(field, PickerField):
            field.widget.source_url = url_of(field.picker_name)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, widget=QuickSelect)
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=QuickTextarea(attrs={"rows": 3}))
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices,
                               widget=QuickSelect)
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Audience.choices, widget=QuickSelect,
        help_text=_("An event an organization supports is open to the public."))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=MomentInput,
                                    input_formats=MOMENT_FORMATS)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=MomentInput,
                                  input_formats=MOMENT_FORMATS)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False,
                            widget=QuickInput,
                            help_text=_("For an event in person or hybrid."))
    online_link = forms.CharField(label=_("Online link"), max_length=500, required=False,
                                  widget=QuickInput(attrs={"type": "url",
                                                           "placeholder": "https://"}),
                                  help_text=_("For an event online or hybrid."))
    organizer = PickerField("event-organizers", label=_("Organizer"), required=False,
                            help_text=_("A member of the region's secretariat."))
    series = forms.ModelChoiceField(queryset=None, label=_("Meeting series"), required=False,
                                    widget=QuickSelect, empty_label=_("None"))
    working_group = PickerField("event-groups", label=_("Working group"), required=False)
    model_policy = forms.ModelChoiceField(
        queryset=None, label=_("Model policy"), required=False, widget=QuickSelect,
        empty_label=_("None"), help_text=_("An adopted model policy of the Policy Roadmap."))
    supporting_organization = PickerField(
        "event-supporters", label=_("Supporting organization"), required=False,
        help_text=_("A stakeholder whose involvement is supporting events."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        zone = region.time_zone
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("Local time in %(zone)s.") % {"zone": zone}
        self.fields["series"].queryset = events.active_series(region).only("title")
        self.fields["model_policy"].queryset = events.adopted_policies().only(
            "title", "translations")
        self.fields["model_policy"].label_from_instance = lambda policy: policy.shown_title
        bind_pickers(self, region)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=500,
                             widget=QuickTextarea(attrs={"rows": 2}))


class NextMeetingForm(forms.Form):
    on = forms.DateField(label=_("Date of the next meeting"), widget=QuickInput(attrs=DATE),
                         help_text=_("At the same local time as this one."))


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1,
                                          max_value=agendas.MAX_DURATION,
                                          widget=QuickInput(attrs={"type": "number"}))
    speaker_contact = PickerField("agenda-contacts", label=_("Speaker: a city contact"),
                                  required=False)
    speaker_expert = PickerField("agenda-experts", label=_("Speaker: an expert"),
                                 required=False, help_text=_("Confirmed or active experts."))
    speaker_user = PickerField("agenda-staff", label=_("Speaker: a staff member"),
                               required=False)
    workplan = PickerField("agenda-workplans", label=_("Workplan shared (progress sharing)"),
                           required=False, help_text=_("A city's workplan for a model policy."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=QuickTextarea(attrs={"rows": 2}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)

    def clean(self):
        data = super().clean()
        named = [name for name in agendas.SPEAKERS if data.get(name) is not None]
        if len(named) > 1:
            self.add_error(named[-1], _("One speaker per item: a city contact, an expert or a "
                                        "staff member."))
        return data


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    kind = forms.ChoiceField(label=_("Kind of its meetings"), choices=EventKind.choices,
                             initial=EventKind.REGULAR_MEETING, widget=QuickSelect)
    description = forms.CharField(label=_("Purpose"), required=False,
                                  widget=QuickTextarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class HandOverForm(forms.Form):
    delegate = PickerField("series-delegates", label=_("Hand to"), help_text=_(
        "Any member of the region; city contacts preferably."))
    role = forms.CharField(label=_("Role"), max_length=200, required=False, widget=QuickInput)
    scope = forms.CharField(label=_("Scope"), max_length=2000, required=False,
                            widget=QuickTextarea(attrs={"rows": 2}),
                            help_text=_("What is handed over, in writing."))
    review_on = forms.DateField(label=_("Review the delegation on"), required=False,
                                widget=QuickInput(attrs=DATE))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))]


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False,
                             widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect,
                             choices=[("", _("Every kind")), *EventKind.choices])
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect,
                              choices=[("", _("Every state")), *EventState.choices])
    series = forms.TypedChoiceField(label=_("Series"), required=False, coerce=int,
                                    empty_value=None, widget=QuickSelect)
    mine = forms.BooleanField(label=_("Organized by me"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [("", _("Every series")), *events.active_series(
            region).values_list("pk", "title")[:50]]
