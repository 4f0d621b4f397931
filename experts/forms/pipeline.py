"""Forms of the expert pipeline: the table's filters, an expert's details, a stage move, an
interview with its red-flag checklist, and a decision on a conflict-of-interest tie."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect, QuickTextarea
from assessments.models import ModelPolicy, Principle, PrincipleKey
from cities.models import Channel

from ..models import (
    PUBLIC_FIELD_CHOICES,
    ExpertKind,
    RedFlag,
    Sector,
    Stage,
    Suitability,
    TieDecision,
)
from ..services.pipeline import TABLE_SORTS

# The table's sort keys (a leading "-" for the other way) and the columns they order by.
SORTS = TABLE_SORTS
DEFAULT_SORT = "name"
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
MAX_LINKS = 10
MAX_LANGUAGES = 12


def adopted_policies():
    """The model policies of the Policy Roadmap an expert or interview may name."""
    return (ModelPolicy.objects.filter(status=ModelPolicy.Status.ADOPTED)
            .only("id", "title").order_by("title"))


class ExpertFilterForm(forms.Form):
    """The expert table's filters; an invalid value refuses the whole list (the page shows the
    error over no rows, the API answers 400)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search",
                                                 "placeholder": _("Name or organization")}))
    stage = forms.ChoiceField(label=_("Stage"), required=False, widget=QuickSelect(),
                              choices=[("", _("Any stage"))] + Stage.choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=QuickSelect(),
                               choices=[("", _("Any sector"))] + Sector.choices)
    forum_partner = forms.ChoiceField(label=_("Forum Partner"), required=False,
                                      widget=QuickSelect(), choices=YES_NO)
    principle = forms.ChoiceField(label=_("Principle"), required=False, widget=QuickSelect())
    owner = forms.ChoiceField(label=_("Owner"), required=False, widget=QuickSelect(),
                              choices=[("", _("Anyone")), ("mine", _("Mine"))])
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                             choices=[(k, k) for key in SORTS for k in (key, f"-{key}")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].choices = [("", _("Any principle"))] + principle_choices()

    def narrowing(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "sort")


def principle_choices() -> list[tuple[str, object]]:
    """The five principles by id, in their order."""
    return [(str(pk), PrincipleKey(key).label) for pk, key in
            Principle.objects.order_by("position").values_list("pk", "key")]


class LinesField(forms.CharField):
    """A list written one item a line (links) or separated by commas (languages)."""

    def __init__(self, *, separator: str = "\n", limit: int, item_length: int = 200,
                 validator=None, **kwargs):
        kwargs.setdefault("widget", QuickTextarea(attrs={"rows": 3}) if separator == "\n"
                          else QuickInput())
        super().__init__(required=False, **kwargs)
        self.separator, self.limit, self.item_length = separator, limit, item_length
        self.validator = validator

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ("\n" if self.separator == "\n" else ", ").join(value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        items = [part.strip() for part in text.split(self.separator) if part.strip()]
        if len(items) > self.limit:
            raise ValidationError(_("At most %(limit)d.") % {"limit": self.limit})
        for item in items:
            if len(item) > self.item_length:
                raise ValidationError(_("“%(item)s…” is too long.") % {"item": item[:30]})
            if self.validator:
                self.validator(item)
        return list(dict.fromkeys(items))


def _url(item: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(item)
    except ValidationError:
        raise ValidationError(_("“%(link)s” is not a web address (https://…).")
                              % {"link": item[:60]}) from None


class ExpertForm(forms.Form):
    """An expert's details (the stage moves apart)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ExpertKind.choices, widget=QuickSelect())
    name = forms.CharField(label=_("Name"), max_length=150, widget=QuickInput())
    organization = forms.CharField(label=_("Organization"), max_length=150, required=False,
                                   widget=QuickInput())
    title = forms.CharField(label=_("Title"), max_length=150, required=False,
                            widget=QuickInput())
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, widget=QuickSelect())
    is_forum_partner = forms.BooleanField(
        label=_("Forum Partner"), required=False,
        help_text=_("A private-sector expert or a Forum Partner is vetted by a Forum reviewer "
                    "before being invited."))
    email = forms.EmailField(label=_("Email"), required=False,
                             widget=QuickInput(attrs={"type": "email"}))
    principles = forms.ModelMultipleChoiceField(
        label=_("Principles"), required=False, queryset=Principle.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    model_policies = forms.ModelMultipleChoiceField(
        label=_("Model policies"), required=False, queryset=ModelPolicy.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    languages = LinesField(label=_("Languages"), separator=",", limit=MAX_LANGUAGES,
                           item_length=30, help_text=_("Separated by commas, e.g. en, ja."))
    bio = forms.CharField(label=_("Biography"), required=False, max_length=5000,
                          widget=QuickTextarea(attrs={"rows": 4}))
    links = LinesField(label=_("Links"), limit=MAX_LINKS, validator=_url,
                       help_text=_("One web address a line."))
    declared_interests = forms.CharField(
        label=_("Declared interests"), required=False, max_length=3000,
        widget=QuickTextarea(attrs={"rows": 3}),
        help_text=_("One a line: boards, clients, shares. Each is checked for conflicts of "
                    "interest."))
    public_fields = forms.MultipleChoiceField(
        label=_("Shown in the directory"), required=False, choices=PUBLIC_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple)
    channel = forms.ChoiceField(label=_("Engagement channel"), required=False,
                                choices=[("", "—")] + Channel.choices, widget=QuickSelect())
    owner = PickerField("owners", label=_("Owner"), required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_policies"].queryset = adopted_policies()
        self.fields["principles"].label_from_instance = lambda p: p.label
        bind_pickers(self, region)

    @staticmethod
    def initial_of(expert) -> dict:
        return {"kind": expert.kind, "name": expert.name, "organization": expert.organization,
                "title": expert.title, "sector": expert.sector,
                "is_forum_partner": expert.is_forum_partner, "email": expert.email,
                "principles": list(expert.principles.all()),
                "model_policies": list(expert.model_policies.all()),
                "languages": expert.languages, "bio": expert.bio, "links": expert.links,
                "declared_interests": expert.declared_interests,
                "public_fields": expert.public_fields, "channel": expert.channel,
                "owner": expert.owner}


class StageMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices, widget=QuickSelect())
    note = forms.CharField(label=_("Why"), required=False, max_length=1000,
                           widget=QuickInput())


class InterviewForm(forms.Form):
    """An interview: a checkbox and a note per red flag (`flag_<code>`, `flag_<code>_note`)."""

    held_on = forms.DateField(label=_("Held on"),
                              widget=QuickInput(attrs={"type": "date"}))
    interviewer = PickerField("owners", label=_("Interviewer"), required=False,
                              help_text=_("You, if nobody is chosen."))
    strengths = forms.CharField(label=_("Strengths"), required=False, max_length=5000,
                                widget=QuickTextarea(attrs={"rows": 4}))
    principles = forms.ModelMultipleChoiceField(
        label=_("Topic areas: principles"), required=False, queryset=Principle.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    model_policies = forms.ModelMultipleChoiceField(
        label=_("Topic areas: model policies"), required=False,
        queryset=ModelPolicy.objects.none(), widget=forms.CheckboxSelectMultiple)
    suitability = forms.ChoiceField(label=_("Suitability"), choices=Suitability.choices,
                                    widget=forms.RadioSelect, initial=Suitability.UNDECIDED)
    decision_note = forms.CharField(label=_("Why"), required=False, max_length=3000,
                                    widget=QuickTextarea(attrs={"rows": 3}))

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_policies"].queryset = adopted_policies()
        self.fields["principles"].label_from_instance = lambda p: p.label
        for code, label in RedFlag.choices:
            self.fields[f"flag_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"flag_{code}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000,
                widget=QuickInput(attrs={"aria-label": _("Note on “%(flag)s”")
                                         % {"flag": label}}))
        bind_pickers(self, region)

    def flag_rows(self) -> list[dict]:
        return [{"code": code, "label": label, "raised": self[f"flag_{code}"],
                 "note": self[f"flag_{code}_note"]} for code, label in RedFlag.choices]

    def main_fields(self) -> list:
        return [self[name] for name in ("held_on", "interviewer", "strengths", "principles",
                                        "model_policies")]

    def clean(self):
        data = super().clean()
        for code, label in RedFlag.choices:
            if data.get(f"flag_{code}") and not (data.get(f"flag_{code}_note") or "").strip():
                self.add_error(f"flag_{code}_note",
                               _("Say what you saw for “%(flag)s”.") % {"flag": label})
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"held_on": data["held_on"], "interviewer": data.get("interviewer"),
                "strengths": data.get("strengths", ""),
                "principles": list(data.get("principles") or []),
                "model_policies": list(data.get("model_policies") or []),
                "red_flags": {code: {"raised": bool(data.get(f"flag_{code}")),
                                     "note": data.get(f"flag_{code}_note", "")}
                              for code in RedFlag.values},
                "suitability": data["suitability"], "decision_note": data.get("decision_note", "")}

    @staticmethod
    def initial_of(interview) -> dict:
        initial = {"held_on": interview.held_on, "interviewer": interview.interviewer,
                   "strengths": interview.strengths,
                   "principles": list(interview.principles.all()),
                   "model_policies": list(interview.model_policies.all()),
                   "suitability": interview.suitability,
                   "decision_note": interview.decision_note}
        for code in RedFlag.values:
            flag = (interview.red_flags or {}).get(code) or {}
            initial[f"flag_{code}"] = bool(flag.get("raised"))
            initial[f"flag_{code}_note"] = flag.get("note", "")
        return initial


class ConflictDecisionForm(forms.Form):
    tie = forms.CharField(max_length=300, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=TieDecision.choices,
                                 widget=QuickSelect())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=QuickInput())

