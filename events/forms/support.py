"""Forms of implementation support: workplan templates (milestones as rows), workplans, their
milestones, advisors, comments and monthly follow-ups, support activities, and the lists'
filters. Cities, experts, workplans and events are chosen with pickers."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea, control_attrs

from ..models import MilestoneStatus, SupportKind, SupportState, WorkplanStatus
from ..services import workplans
from ..services.workplans import MAX_AFTER_DAYS

DATE = {"type": "date"}


class QuickCheckbox(forms.CheckboxInput):
    """A checkbox written in Python, as the other filters' controls are."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<input type="checkbox" name="{}" value="on"{}{}>', name,
                           " checked" if self.check_test(value) else "",
                           control_attrs("form-check-input",
                                         self.build_attrs(self.attrs, attrs)))


def _policy_field(**kwargs) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=workplans.adopted_policies().only(
        "title", "translations"), label=_("Model policy"), widget=QuickSelect, **kwargs)
    field.label_from_instance = lambda policy: policy.shown_title
    return field


# -- templates ------------------------------------------------------------------------------

class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=QuickInput)
    goals = forms.CharField(label=_("Goals"), required=False,
                            widget=QuickTextarea(attrs={"rows": 4}),
                            help_text=_("Where a city's workplan starts from; the city adapts "
                                        "them."))
    is_active = forms.BooleanField(label=_("Offered to cities"), required=False, initial=True,
                                   help_text=_("A template no longer offered stays on the "
                                               "workplans made from it."))


class MilestoneRowForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200, required=False,
                            widget=QuickInput)
    after_days = forms.IntegerField(label=_("Days after the start"), required=False,
                                    min_value=0, max_value=MAX_AFTER_DAYS,
                                    widget=QuickInput(attrs={"type": "number", "min": 0,
                                                             "max": MAX_AFTER_DAYS}))

    def clean(self):
        data = super().clean()
        title, days = data.get("title"), data.get("after_days")
        if title and days is None and "after_days" not in self.errors:
            self.add_error("after_days", _("Say how many days after the start it is due."))
        if days is not None and not title:
            self.add_error("title", _("Give the milestone a title."))
        return data


MilestoneRows = forms.formset_factory(MilestoneRowForm, extra=3, max_num=50,
                                      absolute_max=60, validate_max=True)


def milestone_rows(formset) -> list[dict]:
    """The filled rows of a valid formset, as a template keeps them."""
    return [{"title": form.cleaned_data["title"], "after_days": form.cleaned_data["after_days"]}
            for form in formset.forms if form.cleaned_data.get("title")]


# -- workplans ------------------------------------------------------------------------------

class WorkplanCreateForm(forms.Form):
    city = PickerField("workplan-cities", label=_("City"))
    model_policy = _policy_field(empty_label=None,
                                 help_text=_("A model policy of the Policy Roadmap. A city has "
                                             "one workplan per model policy."))
    template = forms.ModelChoiceField(
        queryset=None, label=_("Template"), required=False, widget=QuickSelect,
        empty_label=_("None: add milestones later"),
        help_text=_("Copies the template's goals and milestones, each due its number of days "
                    "from today."))
    responsible = forms.CharField(label=_("Responsible person"), max_length=150,
                                  required=False, widget=QuickInput,
                                  help_text=_("Who keeps the workplan on the city's side."))
    goals = forms.CharField(label=_("Goals"), required=False,
                            widget=QuickTextarea(attrs={"rows": 3}),
                            help_text=_("Leave empty to start from the template's goals."))
    status = forms.ChoiceField(label=_("Status"), choices=WorkplanStatus.choices,
                               initial=WorkplanStatus.ACTIVE, widget=QuickSelect)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = workplans.offered_templates(region)
        bind_pickers(self, region)


class WorkplanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), required=False,
                            widget=QuickTextarea(attrs={"rows": 5}))
    responsible = forms.CharField(label=_("Responsible person"), max_length=150,
                                  required=False, widget=QuickInput)
    status = forms.ChoiceField(label=_("Status"), choices=WorkplanStatus.choices,
                               widget=QuickSelect)


class AdvisorForm(forms.Form):
    expert = PickerField("workplan-advisors", label=_("Add an advisor"),
                         help_text=_("Confirmed and active experts of the region."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200, widget=QuickInput)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=QuickInput(attrs=DATE))
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices,
                               widget=QuickSelect)
    responsible = forms.CharField(label=_("Responsible person"), max_length=150,
                                  required=False, widget=QuickInput)


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices,
                               widget=QuickSelect)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000,
                           widget=QuickTextarea(attrs={"rows": 3}))


class ProgressForm(forms.Form):
    summary = forms.CharField(label=_("Progress this month"), max_length=5000,
                              widget=QuickTextarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), max_length=5000, required=False,
                                 widget=QuickTextarea(attrs={"rows": 2}))


class WorkplanFilterForm(forms.Form):
    q = forms.CharField(label=_("City"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search",
                                                 "placeholder": _("City name")}))
    policy = _policy_field(required=False, empty_label=_("Any model policy"))
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect,
                               choices=[("", _("Any status"))] + WorkplanStatus.choices)
    behind = forms.BooleanField(label=_("Behind schedule"), required=False,
                                widget=QuickCheckbox,
                                help_text=_("A milestone is overdue."))

    def narrowing(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


# -- support activities ---------------------------------------------------------------------

class ActivityForm(forms.Form):
    city = PickerField("support-cities", label=_("City"))
    workplan = PickerField("support-workplans", label=_("Workplan"), required=False,
                           help_text=_("The city's workplan this supports, if any."))
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices, widget=QuickSelect)
    other_kind = forms.CharField(label=_("The other kind asked for"), max_length=200,
                                 required=False, widget=QuickInput,
                                 help_text=_("Only for “Other”: the Global Secretariat "
                                             "approves it before it is planned."))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=QuickTextarea(attrs={"rows": 3}))
    planned_on = forms.DateField(label=_("Planned on"), required=False,
                                 widget=QuickInput(attrs=DATE))
    event = PickerField("support-events", label=_("Event"), required=False,
                        help_text=_("The event where it takes place (a workshop, a regular "
                                    "meeting)."))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)


class ActivityEditForm(forms.Form):
    workplan = PickerField("support-workplans", label=_("Workplan"), required=False)
    other_kind = forms.CharField(label=_("The other kind asked for"), max_length=200,
                                 required=False, widget=QuickInput)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=QuickTextarea(attrs={"rows": 3}))
    planned_on = forms.DateField(label=_("Planned on"), required=False,
                                 widget=QuickInput(attrs=DATE))
    event = PickerField("support-events", label=_("Event"), required=False)

    def __init__(self, *args, region, other: bool, linkable: bool, **kwargs):
        """`other`: of another kind (its name can change); `linkable`: planned, so it may be
        linked to an event."""
        super().__init__(*args, **kwargs)
        if not other:
            del self.fields["other_kind"]
        if not linkable:
            del self.fields["event"]
        bind_pickers(self, region)


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search",
                                                 "placeholder": _("City or description")}))
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect,
                              choices=[("", _("Any state"))] + SupportState.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect,
                             choices=[("", _("Any kind"))] + SupportKind.choices)

    def narrowing(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
