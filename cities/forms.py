import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from alliance.forms import LocalizedDecimalField
from alliance.limits import MAX_ID, WholeNumberField
from alliance.models import Role
from alliance.pickers import PickerField, bind_pickers
from alliance.widgets import QuickInput, QuickSelect
from cities.models import PartnerNetwork

from .models import City, Contact, CriterionScore, Stage, Tier
from .queries import DEFAULT_SORT, SORTS
from .services.pipeline import BULK_ACTIONS, tags_named
from .stages import allowed_moves

# The population column's bound on every database the portal runs on.
MAX_POPULATION = 2_147_483_647


def owner_choices(region):
    """People who can own a city: the region's secretariat and the Global Secretariat."""
    return (get_user_model().objects
            .filter(Q(memberships__role=Role.REGIONAL_SECRETARIAT, memberships__region=region)
                    | Q(memberships__role=Role.GLOBAL_SECRETARIAT, memberships__region=None))
            .distinct().order_by("full_name", "email"))


COUNTRIES_CACHED_FOR = 60  # seconds


def countries_in(region) -> list[tuple[str, str]]:
    """The countries of the region's cities by name: the filter offers only what can match.

    Cached a minute per region and language: a short list that rarely changes, read on every
    table page. A country that arrives meanwhile can still be filtered by its code."""
    key = f"cities:countries:{region.pk}:{get_language()}"
    return cache.get_or_set(key, lambda: _countries_in(region), COUNTRIES_CACHED_FOR)


def _countries_in(region) -> list[tuple[str, str]]:
    codes = (City.objects.filter(region=region).order_by().values_list("country", flat=True)
             .distinct())
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class OfferedChoiceField(forms.ChoiceField):
    """A filter that offers what the region holds but accepts any well-formed value: a
    country with no city yet matches nothing, which is a true answer, not an error."""

    def __init__(self, *args, accepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepts = accepts

    def valid_value(self, value):
        return self.accepts(value) or super().valid_value(value)


class TagFilterField(PickerField):
    """The tag filter: a tag chosen in the picker (its id) or a tag's name, typed or sent to
    the API. Cleans to the name; a name no tag has matches no city, which is a true answer."""

    MAX_LENGTH = 50  # Tag.name

    def __init__(self, **kwargs):
        super().__init__("tags", **kwargs)

    def to_python(self, value):
        text = "" if value in self.empty_values else str(value).strip()
        if len(text) > self.MAX_LENGTH:
            raise forms.ValidationError(_("A tag has at most %(limit)d characters.")
                                        % {"limit": self.MAX_LENGTH})
        if not text.isdigit() or int(text) > MAX_ID:
            return text
        # The picker sends the chosen tag's id; a tag whose name is digits keeps its name.
        found = dict(self._rows().filter(Q(name=text) | Q(pk=int(text)))
                     .values_list("name", "pk"))
        return text if text in found or not found else next(iter(found))


class CityFilterForm(forms.Form):
    """The city table's filters, shared by the table, its export and its bulk actions.

    Bind it to request.GET. An invalid value refuses the whole list (the page shows the
    error and no rows; the API answers 400): rows that ignored a filter would pass for
    filtered ones. Owner and tag are pickers: their choices grow with the region."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=QuickInput(attrs={"type": "search"}))
    stage = forms.ChoiceField(label=_("Stage"), required=False, widget=QuickSelect(),
                              choices=[("", _("Any stage"))] + Stage.choices)
    tier = forms.ChoiceField(label=_("Tier"), required=False, widget=QuickSelect(),
                             choices=[("", _("Any tier"))] + Tier.choices)
    country = OfferedChoiceField(label=_("Country"), required=False, widget=QuickSelect(),
                                 accepts=lambda code: code in countries)
    owner = PickerField("owners", label=_("Owner"), required=False)
    tag = TagFilterField(label=_("Tag"), required=False)
    min_priority = forms.IntegerField(
        label=_("Priority at least (%)"), required=False, min_value=0, max_value=100,
        widget=QuickInput(attrs={"type": "number", "min": 0, "max": 100}))
    # Set by the column headers; the filter bar carries it along unseen.
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS],
                             widget=forms.HiddenInput)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries_in(region)
        bind_pickers(self, region)

    def filters(self) -> dict:
        """Keyword arguments for cities.queries.filter_cities; only for a valid form."""
        if not self.is_valid():
            raise ValueError("filters() of an invalid CityFilterForm")
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "stage": data.get("stage", ""),
            "tier": data.get("tier", ""),
            "country": data.get("country", ""),
            "owner": data.get("owner"),
            "tag": data.get("tag", ""),
            "min_priority": data.get("min_priority"),
            "sort": data.get("sort") or DEFAULT_SORT,
        }

    def narrowing(self) -> bool:
        """Whether any filter narrows the rows (the filter bar then shows open)."""
        return any(self.data.get(name) or self.data.get(f"{name}_text")
                   for name in self.fields if name != "sort")


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=60,
                           widget=QuickInput(attrs={"class": "form-control-sm",
                                                    "placeholder": _("e.g. my short list")}))


class CityIdsField(forms.Field):
    """The ids of the ticked rows; whether they are this region's is the service's check."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            ids = [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose cities from the list.")) from None
        if any(not 0 < pk <= MAX_ID for pk in ids):
            raise forms.ValidationError(_("Choose cities from the list."))
        return ids


BULK_ACTION_LABELS = {"move_stage": _("Move to a stage"), "assign_owner": _("Assign an owner"),
                      "tag": _("Add tags")}


class BulkActionForm(forms.Form):
    """One action for the ticked rows of the table: each action reads its own fields."""

    # The fields each action reads: the panel shows only the chosen action's (city_table.js).
    ACTION_FIELDS = {"move_stage": ("stage", "note"), "assign_owner": ("owner",),
                     "tag": ("tags",)}
    VALUE_FIELD = {"move_stage": "stage", "assign_owner": "owner", "tag": "tags"}

    cities = CityIdsField(label=_("Cities"),
                          error_messages={"required": _("Tick at least one city.")})
    action = forms.ChoiceField(label=_("Action"), widget=QuickSelect(),
                               choices=[(a, BULK_ACTION_LABELS[a]) for a in BULK_ACTIONS])
    stage = forms.ChoiceField(label=_("Move to"), required=False, widget=QuickSelect(),
                              choices=[("", _("Choose a stage"))] + Stage.choices)
    note = forms.CharField(label=_("Reason (needed for declined, paused, left)"),
                           required=False, max_length=1000, widget=QuickInput())
    owner = PickerField("owners", label=_("Owner"), required=False)
    tags = forms.CharField(label=_("Tags (comma-separated)"), required=False, max_length=300,
                           widget=QuickInput())

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, region)

    def clean(self):
        data = super().clean()
        field = self.VALUE_FIELD.get(data.get("action"))
        if field and not data.get(field):
            self.add_error(field, _("Fill this in for the chosen action."))
        return data

    def value(self):
        return self.cleaned_data[self.VALUE_FIELD[self.cleaned_data["action"]]]

    def action_fields(self) -> list:
        """(action, bound field) for every field an action reads, in panel order."""
        return [(action, self[name]) for action, names in self.ACTION_FIELDS.items()
                for name in names]

    def ticked(self) -> set[str]:
        """The ids the person ticked, as sent: the table ticks them again after a refusal."""
        return set(self.data.getlist("cities")) if self.is_bound else set()


class CityForm(forms.ModelForm):
    """Create or edit a city (the page's fields; stage moves have their own form)."""

    # Declared with no queryset: a scoped model's default queryset would be evaluated at
    # import time, outside any region's scope (ScopeError). __init__ sets the region's.
    partner_network = forms.ModelChoiceField(label=_("Partner network"), queryset=None,
                                             required=False)
    tags = forms.CharField(label=_("Tags"), required=False,
                           help_text=_("Comma-separated, e.g. pioneer-candidate, coastal"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    population = WholeNumberField(label=_("population"), required=False, min_value=0,
                                  max_value=MAX_POPULATION)
    owner = PickerField("owners", label=_("Owner"), required=False)

    class Meta:
        model = City
        fields = ["name", "local_name", "country", "population", "website", "tier", "owner",
                  "engagement_channel", "partner_network", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        bind_pickers(self, region)
        self.fields["partner_network"].queryset = PartnerNetwork.objects.filter(region=region)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def tag_objects(self):
        return tags_named(self.region, self.cleaned_data["tags"].split(","))


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "department", "title", "email", "phone", "language",
                  "preferred_channel", "is_key", "is_national_government", "is_forum_partner"]


class StageMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(label=_("Why"), required=False, max_length=500,
                           help_text=_("Required when a city is declined, paused or leaves."))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Stage(s).label) for s in allowed_moves(city.stage)]


class MergeForm(forms.Form):
    """The duplicate to merge into `city`: any other city of the region, found by name."""

    duplicate = PickerField("cities", label=_("Duplicate to merge into this city"))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, city.region, duplicate=city.pk)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120)
    weight = LocalizedDecimalField(label=_("Weight"), min_value=0, max_value=10,
                                   decimal_places=2, initial=1)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One 0-3 score and a note per criterion of the region.

    The empty choice clears a score; a criterion the post does not mention keeps its score
    and note (a stale or partial form must not wipe what others scored)."""

    SCORE_CHOICES = [("", "—"), ("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")]

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.current = scores
        for criterion in self.criteria:
            current = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_(criterion.name), choices=self.SCORE_CHOICES, required=False,
                initial=current.score if current else "")
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": _(criterion.name)},
                required=False, max_length=300, initial=current.note if current else "")

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def clean(self):
        data = super().clean()
        if self.is_bound and not self.posted():
            raise forms.ValidationError(_("No score was sent; nothing was changed."))
        return data

    def posted(self) -> list:
        """The criteria this post scores (or clears)."""
        return [c for c in self.criteria if f"score_{c.pk}" in self.data]

    def scores(self) -> dict:
        """{criterion id: (score or None to clear, note)} for the posted criteria only."""
        data, result = self.cleaned_data, {}
        for c in self.posted():
            value = data[f"score_{c.pk}"]
            if f"note_{c.pk}" in self.data:
                note = data[f"note_{c.pk}"]
            else:
                note = getattr(self.current.get(c.pk), "note", "")
            result[c.pk] = (int(value) if value != "" else None, note)
        return result


class ScoreGridForm(forms.Form):
    """Scores posted from the scoring grid: `score_<city id>_<criterion id>` is 0-3, or empty
    to clear it. One cell (saved as the person types) or a whole page (without JavaScript).

    Which city ids are the region's is the view's check; criteria are the region's own."""

    CELL = re.compile(r"score_(\d{1,18})_(\d{1,18})")
    SCORES = [str(n) for n in range(CriterionScore.MAX + 1)]

    def __init__(self, data, *, criteria):
        super().__init__(data)
        self.criteria = {c.pk: c for c in criteria}
        self.cells = {}
        for key in data:
            match = self.CELL.fullmatch(key)
            if match:
                self.cells[key] = (int(match[1]), int(match[2]))

    def clean(self):
        if not self.cells:
            raise forms.ValidationError(_("No score was sent; nothing was changed."))
        if any(criterion not in self.criteria for _city, criterion in self.cells.values()):
            raise forms.ValidationError(_("Unknown criterion."))
        wrong = [key for key in self.cells if self.data[key].strip() not in ["", *self.SCORES]]
        if wrong:
            raise forms.ValidationError(_("Scores run from 0 to %(max)s.")
                                        % {"max": CriterionScore.MAX})
        return super().clean()

    def by_city(self) -> dict[int, dict[int, int | None]]:
        """{city id: {criterion id: 0-3, or None to clear}} as posted."""
        scores: dict[int, dict[int, int | None]] = {}
        for key, (city, criterion) in self.cells.items():
            value = self.data[key].strip()
            scores.setdefault(city, {})[criterion] = int(value) if value else None
        return scores


class CityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Up to 5,000 cities and 5 MB. The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
