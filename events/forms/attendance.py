"""Forms of the attendance area: inviting (by tier, an expert, a working group, a city), the
invitation list's search, an invitee's answer, the minutes, an action item, and the region's
rule for observer cities."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickRadioSelect, QuickSelect, QuickTextarea
from cities.models import Tier

from ..models import EventKind, Response
from ..services import invitations, minutes


class TierForm(forms.Form):
    tiers = forms.MultipleChoiceField(
        label=_("Tiers"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Pioneer and active cities that committed or joined; observer cities in "
                    "dialogue or later."))


class CityForm(forms.Form):
    city = PickerField("invitee-cities", label=_("City"))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class ExpertForm(forms.Form):
    expert = PickerField("invitee-experts", label=_("Expert"),
                         help_text=_("A confirmed or active expert."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class GroupForm(forms.Form):
    group = PickerField("event-groups", label=_("Working group"),
                        help_text=_("Its experts, and the cities of its city contacts."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class InviteeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search"}))
    response = forms.ChoiceField(label=_("Answer"), required=False, widget=QuickSelect,
                                 choices=[("", _("Any answer")), *Response.choices])


class RsvpForm(forms.Form):
    response = forms.ChoiceField(label=_("Your answer"), widget=QuickRadioSelect,
                                 choices=[(value, label) for value, label in Response.choices
                                          if value in invitations.ANSWERS])
    note = forms.CharField(label=_("Note"), required=False,
                           max_length=invitations.NOTE_MAX_LENGTH, widget=QuickInput,
                           help_text=_("Who comes, or anything the organizer should know."))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False,
                              max_length=minutes.MINUTES_MAX_LENGTH,
                              widget=QuickTextarea(attrs={"rows": 14}))


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=minutes.TITLE_MAX_LENGTH,
                            widget=QuickInput)
    owner = PickerField("action-item-owners", label=_("Owner"), required=False,
                        help_text=_("A member of the region; they are told."))
    due_on = forms.DateField(label=_("Due on"), required=False,
                             widget=QuickInput(attrs={"type": "date"}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class SettingsForm(forms.Form):
    observer_kinds = forms.MultipleChoiceField(
        label=_("Event kinds observer cities are invited to"), required=False,
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Observer cities are still considering participation: they are invited "
                    "by tier only to these kinds, and cannot be invited by hand to others."))
