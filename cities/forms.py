import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from alliance.forms import LocalizedDecimalField
from alliance.limits import WholeNumberField
from alliance.models import Role
from alliance.pickers import PickerField, bind_pickers
from cities.models import PartnerNetwork

from .models import City, Contact, CriterionScore, Stage, Tag, Tier
from .services.pipeline import tags_named
from .stages import allowed_moves

# The population column's bound on every database the portal runs on.
MAX_POPULATION = 2_147_483_647

SORT_CHOICES = [
    ("-priority", _("Priority (highest first)")),
    ("name", _("Name")),
    ("stage", _("Stage")),
    ("-population", _("Population (largest first)")),
    ("country", _("Country")),
]


def owner_choices(region):
    """People who can own a city: the region's secretariat and the Global Secretariat."""
    return (get_user_model().objects
            .filter(Q(memberships__role=Role.REGIONAL_SECRETARIAT, memberships__region=region)
                    | Q(memberships__role=Role.GLOBAL_SECRETARIAT, memberships__region=None))
            .distinct().order_by("full_name", "email"))


def countries_in(region) -> list[tuple[str, str]]:
    """The countries of the region's cities (a filter offers only what can match)."""
    codes = (City.objects.filter(region=region).order_by().values_list("country", flat=True)
             .distinct())
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class OfferedChoiceField(forms.ChoiceField):
    """A filter that offers what the region holds but accepts any well-formed value: a
    country or tag with no city yet matches nothing, which is a true answer, not an error."""

    def __init__(self, *args, accepts, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepts = accepts

    def valid_value(self, value):
        return self.accepts(value) or super().valid_value(value)


class CityFilterForm(forms.Form):
    """The city table's filters, shared by the table, its export and its bulk actions.

    Bind it to request.GET. An invalid value refuses the whole list (the page shows the
    error and no rows; the API answers 400): rows that ignored a filter would pass for
    filtered ones."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", _("Any stage"))] + Stage.choices)
    tier = forms.ChoiceField(label=_("Tier"), required=False,
                             choices=[("", _("Any tier"))] + Tier.choices)
    country = OfferedChoiceField(label=_("Country"), required=False,
                                 accepts=lambda code: code in countries)
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=None,
                                   empty_label=_("Anyone"))
    tag = OfferedChoiceField(label=_("Tag"), required=False,
                             accepts=lambda name: 0 < len(name) <= 50)
    min_priority = forms.IntegerField(label=_("Priority at least (%)"), required=False,
                                      min_value=0, max_value=100)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries_in(region)
        self.fields["owner"].queryset = owner_choices(region)
        tags = Tag.objects.filter(region=region).values_list("name", flat=True)
        self.fields["tag"].choices = [("", _("Any tag"))] + [(t, t) for t in tags]

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
            "sort": data.get("sort") or "-priority",
        }


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
