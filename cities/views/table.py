"""The city table: filters, sorting by column, page size, saved views and bulk actions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alliance import permissions
from alliance.pickers import PickerField
from alliance.templatetags.portal import icon
from alliance.views import refused, refused_as_message, requires

from .. import queries
from ..forms import BulkActionForm, CityFilterForm, SavedViewForm
from ..models import SavedView
from ..services.pipeline import apply_bulk
from ..services.saved_views import delete_view, save_view
from .rows import RowFacts, TableRows

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25  # a page costs what it shows: the lean size unless asked

# The table's columns: the sort key of each (blank: not sortable) and its heading.
COLUMNS = [("name", gettext_lazy("Name")), ("", gettext_lazy("Local name")),
           ("country", gettext_lazy("Country")), ("population", gettext_lazy("Population")),
           ("tier", gettext_lazy("Tier")), ("stage", gettext_lazy("Stage")),
           ("owner", gettext_lazy("Owner")), ("priority", gettext_lazy("Priority")),
           ("", gettext_lazy("Tags")), ("", gettext_lazy("Key contact"))]
# Columns of numbers: aligned right, and a first click on them sorts the largest first.
NUMBER_COLUMNS = {"population", "priority"}

# What the table's URL may hold besides the page: a saved view keeps these, in this order.
TABLE_KEYS = [key for name, field in CityFilterForm.base_fields.items()
              for key in ((name, f"{name}_text") if isinstance(field, PickerField) else (name,))
              ] + ["per_page"]


@requires("cities.view")
def city_list(request, region_slug):
    return _table(request, request.GET)


def _table(request, query: QueryDict, *, bulk: BulkActionForm | None = None, problem=""):
    """The table for `query` (the filters, sort, page size and page); `bulk` is a refused
    bulk form to show again with its ticks, and `problem` why it was refused."""
    region = request.region
    filters = CityFilterForm(query, region=region)
    size = _page_size(query)
    page = Paginator(_filtered(region, filters), size).get_page(query.get("page"))
    bulk = _bulk_form(request, bulk)
    table_query = _table_query_of(query)
    table_url = _table_url(request)
    return render(request, "cities/city_list.html", {
        "filters": filters, "page_obj": page,
        "rows": _rows(region, page, table_query, ticked=bulk.ticked() if bulk else None),
        "bulk": bulk, "bulk_problem": problem, "may_edit": bulk is not None,
        "table_url": table_url, "query": table_query, "full_query": query.urlencode(),
        "saved_views": _saved_views(request, table_query),
        "saved_view_form": SavedViewForm(auto_id="view_%s"),
        **_navigation(query, _sort_of(filters, query), size, table_url),
    })


def _filtered(region, filters: CityFilterForm):
    rows = queries.table_rows(region)
    # A filter the form refuses shows its error over an empty table, not every city.
    return queries.filter_cities(rows, **filters.filters()) if filters.is_valid() else rows.none()


def _rows(region, page, table_query: str, *, ticked: set[str] | None):
    cities = queries.row_values(page.object_list)
    ids = [city["pk"] for city in cities]
    return TableRows(RowFacts(region), table_query=table_query, ticked=ticked).html(
        cities, tags=queries.tag_names(region, ids),
        key_contacts=queries.key_contact_names(region, ids))


def _bulk_form(request, bulk: BulkActionForm | None) -> BulkActionForm | None:
    """For people who may change cities: the bulk form (a refused one again, its rows still
    ticked)."""
    if bulk is None and permissions.can(request.user, "cities.edit", region=request.region):
        bulk = BulkActionForm(region=request.region, auto_id="bulk_%s")
    return bulk


def _navigation(query: QueryDict, sort: str, size: int, table_url: str) -> dict:
    """Sorting headings, page sizes and the page links' query, each keeping the rest."""
    return {"headings": _headings(query, sort, table_url), "column_count": len(COLUMNS),
            "sort": sort, "default_sort": queries.DEFAULT_SORT,
            "page_sizes": [(n, _link(query, per_page=n), n == size) for n in PAGE_SIZES],
            "per_page": size, "default_per_page": DEFAULT_PAGE_SIZE,
            "page_query": _link(query).removeprefix("?")}


def _page_size(query: QueryDict) -> int:
    size = query.get("per_page", "")
    return int(size) if size.isdigit() and int(size) in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _sort_of(filters: CityFilterForm, query: QueryDict) -> str:
    sort = filters.cleaned_data.get("sort") if filters.is_valid() else query.get("sort")
    return sort or queries.DEFAULT_SORT


def _link(query: QueryDict, **changes) -> str:
    """The table's URL query with some keys changed (None drops one); back to page 1."""
    query = query.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}"


# A heading; a sortable one is a link that sorts by its column, with its way shown.
HEADING = '<th scope="col"{sort}{number}>{content}</th>'
SORT_LINK = '<a class="sort-link" href="{url}">{label}{icon}</a>'
SORT_ICONS = {"ascending": "sort-up", "descending": "sort-down", "": "arrow-down-up"}


def _headings(query: QueryDict, sort: str, table_url: str) -> SafeString:
    """The table's headings, written once per page (through the template engine, ten of them
    cost more than the rows): each sortable one links to the table sorted by it, the reverse
    way when it already is, and says how it sorts (aria-sort)."""
    headings = []
    for key, label in COLUMNS:
        way, content = "", escape(label)
        if key:
            if sort in (key, f"-{key}"):
                way = "descending" if sort.startswith("-") else "ascending"
                after = key if sort.startswith("-") else f"-{key}"
            else:
                after = f"-{key}" if key in NUMBER_COLUMNS else key
            content = SORT_LINK.format(url=escape(table_url + _link(query, sort=after)),
                                       label=content, icon=icon(SORT_ICONS[way]))
        headings.append(HEADING.format(
            sort=f' aria-sort="{way}"' if way else "",
            number=' class="number"' if key in NUMBER_COLUMNS else "", content=content))
    return mark_safe("".join(headings))


def _table_query_of(query: QueryDict) -> str:
    """The filters, sort and page size of a table URL, in one order, blanks dropped: what a
    saved view keeps, and how the table knows it is showing one."""
    kept = QueryDict(mutable=True)
    for key in TABLE_KEYS:
        values = [v for v in query.getlist(key) if v]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


def _saved_views(request, table_query: str) -> list[dict]:
    views = SavedView.objects.filter(region=request.region, user=request.user)
    return [{"view": view, "current": view.query == table_query} for view in views]


def _table_url(request, query: str = "") -> str:
    url = reverse("city-list", kwargs={"region_slug": request.region.slug})
    return f"{url}?{query}" if query else url


# Bulk actions

@require_POST
@requires("cities.edit")
def city_bulk(request, region_slug):
    form = BulkActionForm(request.POST, region=request.region, auto_id="bulk_%s")
    # The table's own query, page included: a refusal shows the same rows, still ticked.
    query = QueryDict(request.POST.get("query", ""))
    if not form.is_valid():
        return _table(request, query, bulk=form, problem=_(
            "Nothing was changed: %(problems)s") % {"problems": _form_problems(form)})
    with refused() as refusal:
        changed = apply_bulk(actor=request.user, region=request.region,
                             city_ids=form.cleaned_data["cities"],
                             action=form.cleaned_data["action"], value=form.value(),
                             note=form.cleaned_data["note"])
    if refusal:
        return _table(request, query, bulk=form, problem=refusal.error.message)
    messages.success(request, ngettext(
        "%(count)d city changed: %(names)s.", "%(count)d cities changed: %(names)s.",
        len(changed)) % {"count": len(changed), "names": _named(changed)})
    return redirect(_table_url(request, _table_query_of(query)))


def _named(cities, *, shown: int = 3) -> str:
    """The changed cities for a message: "Kobe, Nara, Osaka and 4 more"."""
    names = sorted(city.name for city in cities)
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    return ngettext("%(names)s and %(count)d more", "%(names)s and %(count)d more", rest) % {
        "names": ", ".join(names[:shown]), "count": rest}


def _form_problems(form) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields
                    else " ".join(errors) for name, errors in form.errors.items())


# Saved views

@require_POST
@requires("cities.view")
def saved_view_create(request, region_slug):
    form = SavedViewForm(request.POST)
    query = _table_query_of(QueryDict(request.POST.get("query", "")))
    if not form.is_valid():
        messages.error(request, _form_problems(form))
    else:
        with refused_as_message(request):
            view = save_view(actor=request.user, region=request.region,
                             name=form.cleaned_data["name"], query=query)
            messages.success(request, _("Saved the view “%(name)s”. Its link shows the same "
                                        "cities to anyone in the region.")
                             % {"name": view.name})
    return redirect(_table_url(request, query))


@require_POST
@requires("cities.view")
def saved_view_delete(request, region_slug, saved_view_id):
    # Only one's own views: another person's answers as if it did not exist.
    view = get_object_or_404(SavedView.objects.filter(region=request.region, user=request.user),
                             pk=saved_view_id)
    with refused_as_message(request):
        delete_view(actor=request.user, view=view)
        messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
    return redirect(_table_url(request, _table_query_of(QueryDict(request.POST.get("query", "")))))


urlpatterns = [
    path("", city_list, name="city-list"),
    path("bulk/", city_bulk, name="city-bulk"),
    path("views/", saved_view_create, name="city-view-create"),
    path("views/<int:saved_view_id>/delete/", saved_view_delete, name="city-view-delete"),
]
