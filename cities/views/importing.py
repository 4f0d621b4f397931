"""The long-list import (upload, preview, confirm) and the export of a filtered city list."""

import csv
import io
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from alliance.views import refused_as_message, refused_into, requires

from .. import importing
from ..forms import CityFilterForm, CityImportForm
from ..queries import cities_in, filter_cities

# The preview shows the file's values as typed; notes can be long and are left out.
PREVIEW_COLUMNS = [name for name in importing.COLUMNS if name != "notes"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Import -------------------------------------------------------------------------------------

def _pending_key(region) -> str:
    return f"cities.import.{region.pk}"


@requires("cities.import")
def city_import(request, region_slug):
    """GET: the upload form. POST: read and check the file, then preview every row."""
    posted = request.method == "POST"
    form = CityImportForm(request.POST, request.FILES) if posted else CityImportForm()
    if posted and form.is_valid():
        with refused_into(form, field="file"):
            return _preview(request, importing.read_rows(form.cleaned_data["file"]))
    columns = [(name, description, importing.EXAMPLE[name])
               for name, description in importing.COLUMNS.items()]
    return render(request, "cities/import.html", {"form": form, "columns": columns})


def _preview(request, rows):
    # The rows wait in the session (server-side) until confirmed; the token ties the confirm
    # button to this preview, so a preview in another tab cannot be confirmed by mistake.
    token = uuid.uuid4().hex
    request.session[_pending_key(request.region)] = {"token": token, "rows": rows}
    checked = importing.check_rows(region=request.region, rows=rows)
    return _render_preview(request, checked, token=token)


def _render_preview(request, checked, *, token):
    bad = [row for row in checked if row.errors]
    duplicates = [row for row in checked if row.duplicate_of and not row.errors]
    return render(request, "cities/import_preview.html", {
        "rows": [(row, [row.raw.get(c, "") for c in PREVIEW_COLUMNS]) for row in checked],
        "columns": PREVIEW_COLUMNS, "bad_rows": bad, "duplicate_rows": duplicates,
        "good_count": len(checked) - len(bad) - len(duplicates),
        "token": token, "form": CityImportForm(),
    })


@require_POST
@requires("cities.import")
def city_import_confirm(request, region_slug):
    """Import the previewed rows, all or nothing, after checking them again; rows that
    duplicate cities on the list are left out when the person chose to skip them."""
    pending = request.session.get(_pending_key(request.region))
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, _("This preview has expired or was replaced. Upload the file "
                                  "again."))
        return redirect("city-import", region_slug=request.region.slug)
    with refused_as_message(request) as refusal:
        cities = importing.import_cities(
            actor=request.user, region=request.region, rows=pending["rows"],
            skip_duplicates=request.POST.get("skip_duplicates") == "yes")
    if isinstance(refusal.error, importing.ImportRejected):
        return _render_preview(request, refusal.error.rows, token=pending["token"])
    if refusal:
        return redirect("city-import", region_slug=request.region.slug)
    del request.session[_pending_key(request.region)]
    messages.success(request, ngettext("Imported %(count)s city onto the long list.",
                                       "Imported %(count)s cities onto the long list.",
                                       len(cities)) % {"count": len(cities)})
    # A successful import created every row but the duplicates it was asked to skip.
    skipped = len(pending["rows"]) - len(cities)
    if skipped:
        messages.info(request, ngettext(
            "Skipped %(count)s row that duplicates a city already on the list.",
            "Skipped %(count)s rows that duplicate cities already on the list.",
            skipped) % {"count": skipped})
    return redirect("city-list", region_slug=request.region.slug)


@requires("cities.import")
def city_import_template(request, region_slug):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cities-template.csv"'
    # A byte-order mark so that Excel reads the local names as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(importing.COLUMNS)
    writer.writerow(importing.EXAMPLE[column] for column in importing.COLUMNS)
    return response


# Export -------------------------------------------------------------------------------------

# Keys match the import's columns where they overlap, so an export can seed another list.
EXPORT_COLUMNS = ("name", "local_name", "country", "population", "website", "tier", "stage",
                  "owner_email", "priority", "tags", "key_contact_name", "key_contact_email",
                  "engagement_channel")


@requires("cities.view")
def city_export(request, region_slug):
    """The city table's rows under the same filters, as CSV or XLSX."""
    filters = CityFilterForm(request.GET, region=request.region)
    if not filters.is_valid():
        # The table shows what is wrong with the filters; an export of every city would not.
        table = reverse("city-list", kwargs={"region_slug": request.region.slug})
        return redirect(f"{table}?{request.GET.urlencode()}")
    cities = filter_cities(cities_in(request.region), **filters.filters())
    rows = (_export_row(city) for city in cities)
    stem = f"cities-{request.region.slug}-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(rows, f"{stem}.xlsx")
    return _csv_response(rows, f"{stem}.csv")


def _export_row(city) -> list:
    key = city.key_contacts[0] if city.key_contacts else None
    return [city.name, city.local_name, city.country.code, city.population, city.website,
            city.tier, city.stage, city.owner.email if city.owner else "",
            round(city.priority, 1) if city.priority is not None else None,
            ", ".join(tag.name for tag in city.tag_list),
            key.name if key else "", key.email if key else "", city.engagement_channel]


def _cell(value):
    """Text a spreadsheet would run as a formula is quoted (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _csv_response(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return response


def _xlsx_cell(value):
    """Control characters are refused on input, but rows stored before that may hold them,
    and openpyxl refuses to write them: drop them rather than fail the whole export."""
    value = _cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _xlsx_response(rows, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cities"))
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("import/", city_import, name="city-import"),
    path("import/confirm/", city_import_confirm, name="city-import-confirm"),
    path("import/template.csv", city_import_template, name="city-import-template"),
    path("export/", city_export, name="city-export"),
]
