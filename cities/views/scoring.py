"""The scoring grid: the city table's filtered cities by the region's criteria, each cell a
score saved as it is typed (static/js/scoring.js), through the same service as the city page
and the API (cities.services.scoring.score_city)."""

from django.contrib import messages
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import refused, requires

from .. import queries
from ..forms import CityFilterForm, ScoreGridForm
from ..models import Criterion, CriterionScore
from ..services import scoring
from ..templatetags.city_page import priority
from .rows import GridRows, RowFacts

CITIES_PER_PAGE = 25


@requires("cities.view", write="cities.edit")
def scoring_grid(request, region_slug):
    if request.method == "POST":
        return _save(request)
    region = request.region
    filters = CityFilterForm(request.GET, region=region)
    rows = queries.scoring_rows(region)
    # A filter the form refuses shows its error over no rows, as the table does.
    rows = queries.filter_cities(rows, **filters.filters()) if filters.is_valid() else rows.none()
    page = paginate(request, rows, per_page=CITIES_PER_PAGE)
    criteria = list(Criterion.objects.filter(region=region))
    cities = list(page.object_list)
    table_query = _without(request.GET, "page")
    may_score = permissions.can(request.user, "cities.edit", region=region)
    # A city's link carries the list (blank: the whole table), for its previous and next city.
    grid = GridRows(RowFacts(region), criteria=criteria, table_query=table_query,
                    may_score=may_score)
    return render(request, "cities/scoring_grid.html", {
        "filters": filters, "page_obj": page, "criteria": criteria,
        "rows": grid.html(cities, queries.scores_of(cities)), "may_score": may_score,
        "table_query": table_query, "max_score": CriterionScore.MAX,
    })


def _without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _save(request):
    """Save the posted cells: one as the person types (answered with the city's priority),
    or the whole page sent without JavaScript (answered with the grid again)."""
    criteria = list(Criterion.objects.filter(region=request.region))
    form = ScoreGridForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _answer(request, error=" ".join(form.non_field_errors()))
    posted = form.by_city()
    cities = {city.pk: city for city in queries.scoring_rows(request.region)
              .filter(pk__in=posted)}
    if len(cities) < len(posted):
        raise Http404  # a city of another region, or one merged away meanwhile
    changed = _changes(posted, cities)
    with refused() as refusal:
        if changed:
            scoring.score_cities(actor=request.user, region=request.region, scores=changed)
    if refusal:
        return _answer(request, error=refusal.error.message)
    return _answer(request, changed=changed)


def _changes(posted: dict, cities: dict) -> dict:
    """{city id: {criterion id: (score, note)}} for the cells whose score differs from the
    stored one; the note is kept (the grid does not show it)."""
    stored = queries.scores_of(cities.values())
    changes: dict[int, dict] = {}
    for city_id, scores in posted.items():
        for criterion_id, value in scores.items():
            current = stored.get((city_id, criterion_id))
            if getattr(current, "score", None) != value:
                changes.setdefault(city_id, {})[criterion_id] = (
                    value, getattr(current, "note", ""))
    return changes


def _answer(request, *, error: str = "", changed: dict | None = None):
    if request.htmx:
        return _cell_answer(request, error=error, changed=changed or {})
    if error:
        messages.error(request, error)
    elif changed:
        messages.success(request, ngettext("Scores saved for %(count)d city.",
                                           "Scores saved for %(count)d cities.",
                                           len(changed)) % {"count": len(changed)})
    else:
        messages.info(request, _("No score changed."))
    grid = reverse("city-scoring", kwargs={"region_slug": request.region.slug})
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return redirect(f"{grid}?{query}" if query else grid)


def _cell_answer(request, *, error: str, changed: dict):
    """The grid's script reads the error for the cell, or each saved city's new priority."""
    if error:
        return JsonResponse({"error": error}, status=422)
    fresh = queries.scoring_rows(request.region).filter(pk__in=changed)
    return JsonResponse({"priorities": {str(city.pk): priority(city.priority)
                                        for city in fresh}})


urlpatterns = [
    path("scoring/", scoring_grid, name="city-scoring"),
]
