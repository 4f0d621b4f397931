from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from alliance.models import Role
from cities.models import PartnerNetwork

from .models import City, Contact, Stage, Tag, Tier
from .services.pipeline import tags_named
from .stages import allowed_moves

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


class CityFilterForm(forms.Form):
    """The city table's filters, shared by the table, its export and its bulk actions.

    Bind it to request.GET; an invalid value is dropped rather than failing the page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", _("Any stage"))] + Stage.choices)
    tier = forms.ChoiceField(label=_("Tier"), required=False,
                             choices=[("", _("Any tier"))] + Tier.choices)
    country = forms.ChoiceField(label=_("Country"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=None,
                                   empty_label=_("Anyone"))
    tag = forms.ChoiceField(label=_("Tag"), required=False)
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
        """Keyword arguments for cities.queries.filter_cities."""
        self.is_valid()
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

    class Meta:
        model = City
        fields = ["name", "local_name", "country", "population", "website", "tier", "owner",
                  "engagement_channel", "partner_network", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["owner"].queryset = owner_choices(region)
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
    duplicate = forms.ModelChoiceField(label=_("Merge this city into the one shown"),
                                       queryset=None)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = City.objects.filter(
            region_id=city.region_id).exclude(pk=city.pk).order_by("name")


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=120)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_value=10,
                                decimal_places=2, initial=1)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One 0-3 score and a note per criterion of the region (empty clears a score)."""

    SCORE_CHOICES = [("", "—"), ("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")]

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
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

    def scores(self) -> dict:
        data = self.cleaned_data
        return {c.pk: (int(data[f"score_{c.pk}"]) if data[f"score_{c.pk}"] != "" else None,
                       data[f"note_{c.pk}"]) for c in self.criteria}


class CityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Up to 5,000 cities and 5 MB. The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
