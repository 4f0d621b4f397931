"""The city table (filters, search, bulk actions) and the board by stage."""

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.limits import MAX_ID
from alliance.pagination import paginate
from alliance.validators import text_problem
from alliance.views import refused, refused_as_message, requires

from .. import queries, stages
from ..forms import CityFilterForm, owner_choices
from ..models import City, Stage
from ..services.pipeline import BULK_ACTIONS, advance_stage, apply_bulk


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


ACTION_LABELS = {"move_stage": gettext_lazy("Move to a stage"),
                 "assign_owner": gettext_lazy("Assign an owner"),
                 "tag": gettext_lazy("Add tags")}


class BulkActionForm(forms.Form):
    """One action for the ticked rows: each action names the one field it reads."""

    cities = CityIdsField(label=gettext_lazy("Cities"),
                          error_messages={"required": gettext_lazy("Tick at least one city.")})
    action = forms.ChoiceField(label=gettext_lazy("Action"),
                               choices=[(a, ACTION_LABELS[a]) for a in BULK_ACTIONS])
    stage = forms.ChoiceField(label=gettext_lazy("Move to"), required=False,
                              choices=[("", gettext_lazy("Choose a stage"))] + Stage.choices)
    note = forms.CharField(label=gettext_lazy("Reason (needed for declined, paused, left)"),
                           required=False, max_length=1000)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), required=False, queryset=None,
                                   empty_label=gettext_lazy("Choose a person"))
    tags = forms.CharField(label=gettext_lazy("Tags (comma-separated)"), required=False,
                           max_length=300)

    VALUE_FIELD = {"move_stage": "stage", "assign_owner": "owner", "tag": "tags"}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(region)

    def clean(self):
        data = super().clean()
        field = self.VALUE_FIELD.get(data.get("action"))
        if field and not data.get(field):
            self.add_error(field, _("Fill this in for the chosen action."))
        return data

    def value(self):
        return self.cleaned_data[self.VALUE_FIELD[self.cleaned_data["action"]]]


@requires("cities.view")
def city_list(request, region_slug):
    region = request.region
    filters = CityFilterForm(request.GET, region=region)
    rows = queries.cities_in(region)
    # A filter the form refuses shows its error over an empty table, not every city.
    rows = queries.filter_cities(rows, **filters.filters()) if filters.is_valid() else rows.none()
    may_edit = permissions.can(request.user, "cities.edit", region=region)
    return render(request, "cities/city_list.html", {
        "filters": filters, "page_obj": paginate(request, rows), "may_edit": may_edit,
        "bulk": BulkActionForm(region=region, auto_id="bulk_%s") if may_edit else None,
        "query": _query_without_page(request.GET),
    })


@require_POST
@requires("cities.edit")
def city_bulk(request, region_slug):
    form = BulkActionForm(request.POST, region=request.region)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: %(problems)s")
                       % {"problems": _form_problems(form)})
    else:
        _apply_bulk(request, form)
    back = reverse("city-list", kwargs={"region_slug": request.region.slug})
    query = _query_without_page(QueryDict(request.POST.get("query", "")))
    return redirect(f"{back}?{query}" if query else back)


def _apply_bulk(request, form: BulkActionForm) -> None:
    with refused_as_message(request):
        changed = apply_bulk(actor=request.user, region=request.region,
                             city_ids=form.cleaned_data["cities"],
                             action=form.cleaned_data["action"], value=form.value(),
                             note=form.cleaned_data["note"])
        messages.success(request, ngettext("%(count)d city changed.", "%(count)d cities changed.",
                                           len(changed)) % {"count": len(changed)})


def _form_problems(form) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields
                    else " ".join(errors) for name, errors in form.errors.items())


def _query_without_page(query: QueryDict) -> str:
    """The table's filters as a query string; bulk actions come back to them, page 1."""
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@requires("cities.view")
def city_board(request, region_slug):
    return render(request, "cities/board.html", _board_context(request))


@require_POST
@requires("cities.move_stage")
def city_move(request, region_slug, city_id):
    city = get_object_or_404(City.objects.filter(region=request.region), pk=city_id)
    to = request.POST.get("to", "")
    if not to:
        return _after_move(request, _("Choose the stage to move %(city)s to.")
                           % {"city": city.name}, refused=True, moved=city)
    note = request.POST.get("note", "")
    if problem := text_problem(note):
        return _after_move(request, problem, refused=True, moved=city)
    # On the board the refusal shows in place, not as a message on the next page.
    with refused() as refusal:
        advance_stage(actor=request.user, city=city, to=to, note=note)
    if refusal:
        return _after_move(request, refusal.error.message, refused=True, moved=city)
    done = _("%(city)s moved to “%(stage)s”.") % {"city": city.name, "stage": Stage(to).label}
    return _after_move(request, done, refused=False, moved=city)


def _after_move(request, message: str, *, refused: bool, moved: City):
    """htmx gets the board again (unchanged when refused); a plain form goes back to it."""
    if request.htmx:
        context = {**_board_context(request), "message": message, "refused": refused,
                   "moved": moved}
        return render(request, "cities/_board_columns.html", context,
                      status=422 if refused else 200)
    if refused:
        messages.error(request, message)
    else:
        messages.success(request, message)
    return redirect("city-board", region_slug=request.region.slug)


def _board_context(request) -> dict:
    columns = [
        {"stage": stage, "label": Stage(stage).label, "cities": cities,
         # Rendered once per column, not once per card: a board holds hundreds of cards.
         "move_options": format_html_join("", '<option value="{}">{}</option>', (
             (s, Stage(s).label) for s in stages.allowed_moves(stage))),
         "needs_reason": stage in stages.NEEDS_REASON}
        for stage, cities in queries.board(request.region).items()
    ]
    return {"columns": columns,
            "may_move": permissions.can(request.user, "cities.move_stage",
                                        region=request.region)}


urlpatterns = [
    path("", city_list, name="city-list"),
    path("bulk/", city_bulk, name="city-bulk"),
    path("board/", city_board, name="city-board"),
    path("move/<int:city_id>/", city_move, name="city-move"),
]
