"""Forms of the monthly dialogues: logging one with its follow-ups, the list's filters and
the coverage view's."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea

from .models import Dialogue
from .queries_dialogues import MONTH_CHOICES
from .services.dialogues import month_start

DATE = {"type": "date"}
NEW_FOLLOW_UP_ROWS = 3  # blank rows the form offers; more after saving


class DialogueForm(forms.Form):
    city = PickerField("cities", label=_("City"))
    held_on = forms.DateField(label=_("Date"), widget=QuickInput(attrs=DATE),
                              help_text=_("In the region's time zone; not in the future."))
    with_whom = forms.ChoiceField(label=_("With whom"), choices=Dialogue.WithWhom.choices,
                                  initial=Dialogue.WithWhom.SMART_CITY_LEAD,
                                  widget=QuickSelect)
    with_whom_note = forms.CharField(
        label=_("Names or roles"), max_length=200, required=False, widget=QuickInput,
        help_text=_("Who took part, e.g. “Mayor Tanaka and the digital office”."))
    channel = forms.ChoiceField(label=_("Channel"), choices=Dialogue.Channel.choices,
                                initial=Dialogue.Channel.ONLINE, widget=QuickSelect)
    summary = forms.CharField(label=_("Summary"), max_length=10_000,
                              widget=QuickTextarea(attrs={"rows": 6}),
                              help_text=_("The city's needs for the alliance's activities and "
                                          "the challenges it faces."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A dialogue is logged once it has taken place: the "
                                          "date cannot be in the future."))
        return held_on

    def clean(self):
        data = super().clean()
        if data.get("with_whom") == Dialogue.WithWhom.OTHER and not (
                data.get("with_whom_note") or "").strip():
            self.add_error("with_whom_note", _("Say who was spoken to (a name or a role)."))
        return data


class FollowUpForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Follow-up"), max_length=300, required=False,
                            widget=QuickInput)
    owner = PickerField("owners", label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=QuickInput(attrs=DATE))
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)

    def clean(self):
        data = super().clean()
        filled = data.get("owner") is not None or data.get("due_on") is not None
        if not (data.get("title") or "").strip() and filled and not data.get("remove"):
            self.add_error("title", _("Give the follow-up a title."))
        return data

    @property
    def wanted(self) -> dict | None:
        """The follow-up as the service takes it; None for a blank new row."""
        data = self.cleaned_data
        if data.get("id") is None and not (data.get("title") or "").strip():
            return None
        row = {"title": data.get("title") or "", "owner": data.get("owner"),
               "due_on": data.get("due_on")}
        if data.get("id") is not None:
            row.update(id=data["id"], remove=data.get("remove", False))
        return row


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=0, max_num=20, validate_max=True,
                                        absolute_max=40)


def known_labels(field, rows) -> None:
    """Label the picker's chosen row from rows already read (its own lookup is a query a
    field, which a form of many follow-ups would make per row)."""
    picker, ask = field.picker, field.widget.chosen_label
    labels = {str(row.pk): picker.label(row) for row in rows if row is not None}
    field.widget.chosen_label = lambda value: labels.get(str(value)) or ask(value)


def follow_up_formset(data, *, region, follow_ups=(), extra: int = NEW_FOLLOW_UP_ROWS):
    initial = [{"id": f.pk, "title": f.title, "owner": f.owner, "due_on": f.due_on}
               for f in follow_ups]
    initial += [{} for _n in range(extra)]
    formset = FollowUpFormSet(data, initial=initial, prefix="follow_ups",
                              form_kwargs={"region": region})
    owners = [f.owner for f in follow_ups]
    for form in formset.forms:
        known_labels(form.fields["owner"], owners)
    return formset


def wanted_follow_ups(formset) -> list[dict]:
    return [row for row in (form.wanted for form in formset.forms) if row is not None]


class DialogueFilterForm(forms.Form):
    q = forms.CharField(label=_("City"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search"}))
    month = forms.DateField(label=_("Month"), required=False, input_formats=["%Y-%m"],
                            widget=QuickInput(attrs={"type": "month"}))
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel")), *Dialogue.Channel.choices],
                                widget=QuickSelect)
    author = PickerField("owners", label=_("Logged by"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)
        self.fields["month"].widget.format = "%Y-%m"

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month_start(month) if month else None

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"search": data.get("q") or "", "month": data.get("month"),
                "channel": data.get("channel") or "", "author": data.get("author")}


class CoverageFilterForm(forms.Form):
    q = forms.CharField(label=_("City"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search"}))
    months = forms.TypedChoiceField(
        label=_("Months"), required=False, coerce=int, empty_value=MONTH_CHOICES[0],
        choices=[], widget=QuickSelect)
    mine = forms.BooleanField(label=_("My cities"), required=False)
    gaps = forms.BooleanField(label=_("Only gaps"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (n, gettext("Last %(count)s months") % {"count": n}) for n in MONTH_CHOICES]

    def clean_months(self):
        return self.cleaned_data.get("months") or MONTH_CHOICES[0]


def default_date() -> datetime.date:
    return timezone.localdate()
