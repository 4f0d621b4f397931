"""The long-list import: read a CSV or XLSX file, check every row, then create all or nothing.

Reading gives raw rows (strings as typed, with their row number in the file); checking turns
them into city fields or reasons. The preview and the commit both check, because the list may
change between the two (someone adds the same city meanwhile)."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from alliance import permissions
from alliance.errors import DomainError
from alliance.services import audit
from alliance.validators import text_problem

from .models import City, Stage, Tier
from .names import name_key, tidy_name
from .services.pipeline import tags_named

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
# The file size alone does not bound the work: a few kilobytes of XLSX can hold a million
# empty rows or unpack to a gigabyte. So reading stops at these, blank rows included.
MAX_LINES = 2 * MAX_ROWS
MAX_COLUMNS = 50
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_PARTS = 1_000
MAX_SECONDS = 10
# The database's limit for a PositiveIntegerField.
MAX_POPULATION = 2_147_483_647

# Column -> what it holds, in template order. Headers match case-insensitively; spaces and
# hyphens count as underscores ("Local name" is local_name). Other columns are ignored.
COLUMNS: dict[str, object] = {
    "name": gettext_lazy("Required. The city's name in English."),
    "local_name": gettext_lazy("The name in the local language."),
    "country": gettext_lazy("Required. ISO code (JP) or English name (Japan)."),
    "population": gettext_lazy("A whole number: 1500000 or 1,500,000."),
    "website": gettext_lazy("The city's web address."),
    "tier": gettext_lazy("pioneer, active or observer; active when empty."),
    "tags": gettext_lazy("Separated by commas or semicolons."),
    "notes": gettext_lazy("Anything the secretariat should know."),
}
REQUIRED = ("name", "country")
EXAMPLE = {"name": "Kobe", "local_name": "神戸市", "country": "JP", "population": "1,500,000",
           "website": "https://www.city.kobe.lg.jp", "tier": "pioneer",
           "tags": "port city; mobility", "notes": "Met at the Smart City Expo."}

XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(DomainError):
    """The file as a whole cannot be read: wrong type, too big, too long, no usable header."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


class ImportRejected(DomainError):
    """Some rows are bad, or duplicate cities on the list and were not to be skipped, so
    nothing was imported. `rows` holds every row and its reasons."""

    def __init__(self, rows: list[CheckedRow]):
        bad = sum(1 for row in rows if row.errors)
        if bad:
            message = ngettext("Nothing was imported: %(count)s row has problems.",
                               "Nothing was imported: %(count)s rows have problems.", bad)
        else:
            bad = sum(1 for row in rows if row.duplicate_of)
            message = ngettext(
                "Nothing was imported: %(count)s row duplicates a city already on the list.",
                "Nothing was imported: %(count)s rows duplicate cities already on the list.",
                bad)
        super().__init__(message % {"count": bad})
        self.rows = rows


@dataclass
class CheckedRow:
    number: int
    raw: dict[str, str]
    city: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # The city already on the list that this row names (cities.names: case, accents and
    # spacing aside): not an error, the import skips it when asked to.
    duplicate_of: City | None = None


# Reading ------------------------------------------------------------------------------------

def read_rows(upload) -> list[dict[str, str]]:
    """Raw rows of an uploaded file: {"row": number in the file, column: text, ...}."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    content = upload.read()
    if upload.name.lower().endswith(".xlsx") or content.startswith(XLSX_MAGIC):
        table = _xlsx_table(content)
    elif upload.name.lower().endswith((".csv", ".txt")):
        table = _csv_table(content)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    return _rows_by_header(table)


def _csv_table(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not UTF-8 text. In your spreadsheet, save it "
                                "as “CSV UTF-8”.")) from None
    header_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales save CSV with semicolons; the header tells which.
    delimiter = max([",", ";", "\t"], key=header_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(_("The CSV file cannot be read: %(reason)s")
                              % {"reason": error}) from None


def _xlsx_table(content: bytes):
    _check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise _unreadable_xlsx() from None
    try:
        # Columns past MAX_COLUMNS are not read: a sheet may declare 16,384 of them per row.
        yield from workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        workbook.close()


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb)
    before openpyxl reads any of them: it holds the shared strings in memory whole.

    The sizes are those the archive declares; zipfile never inflates a part beyond its
    declared size (it stops there and the checksum fails), so a lie cannot get past it."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable_xlsx() from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("Unpacked, this XLSX file would be larger than %(limit)s MB "
                                "(the limit). Delete unused sheets, rows and formatting, or "
                                "upload a CSV file.")
                              % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("The XLSX file cannot be read. Save it again from your "
                             "spreadsheet, or upload a CSV file."))


def _rows_by_header(table) -> list[dict[str, str]]:
    lines = iter(table)
    header = [_column_name(cell) for cell in next(lines, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(_("The first row must name the columns; missing: %(names)s.")
                              % {"names": ", ".join(missing)})
    positions = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    deadline = time.monotonic() + MAX_SECONDS
    for number, line in enumerate(lines, start=2):
        if number > MAX_LINES:
            raise ImportFileError(_("The file has more than %(max)s rows, counting empty ones. "
                                    "Delete the empty rows below your cities, or split the "
                                    "file.") % {"max": f"{MAX_LINES:,}"})
        if time.monotonic() > deadline:
            raise ImportFileError(_("Reading the file took longer than %(seconds)s seconds. "
                                    "Delete empty rows and columns, or split the file.")
                                  % {"seconds": MAX_SECONDS})
        cells = [_text(cell) for cell in line]
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(_("The file has more than %(max)s rows. Split it into "
                                    "smaller files.") % {"max": f"{MAX_ROWS:,}"})
        rows.append({"row": number, **{name: cells[i] if i < len(cells) else ""
                                       for name, i in positions.items()}})
    if not rows:
        raise ImportFileError(_("The file has no cities below its header row."))
    return rows


def _column_name(cell) -> str:
    return re.sub(r"[\s-]+", "_", _text(cell).lower())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# Checking -----------------------------------------------------------------------------------

def check_rows(*, region, rows: list[dict[str, str]]) -> list[CheckedRow]:
    """Every row with the city it describes or every reason it cannot be imported, and the
    city on the list it duplicates, if any."""
    checked = [_check_fields(raw) for raw in rows]
    existing = _existing(region, checked)
    first_seen: dict[tuple[str, str], int] = {}
    for row in checked:
        if not (row.city.get("name") and row.city.get("country")):
            continue
        key = _key(row.city["name"], row.city["country"])
        if key in existing:
            row.duplicate_of = existing[key]
        elif key in first_seen:
            row.errors.append(_("The same city as row %(row)s.") % {"row": first_seen[key]})
        else:
            first_seen[key] = row.number
    return checked


def _existing(region, checked: list[CheckedRow]) -> dict[tuple[str, str], City]:
    """The region's cities that rows of the file may duplicate, in one query on name_key."""
    keys = {name_key(row.city["name"]) for row in checked if row.city.get("name")}
    cities = City.objects.filter(region=region, name_key__in=keys).only("name", "country")
    return {_key(city.name, city.country.code): city for city in cities}


def _key(name: str, country: str) -> tuple[str, str]:
    return name_key(name), country.upper()


def _check_fields(raw: dict[str, str]) -> CheckedRow:
    row = CheckedRow(number=raw["row"], raw=raw)
    for name, check in FIELD_CHECKS.items():
        if problem := text_problem(raw.get(name, "")):
            row.errors.append(_("%(column)s: %(problem)s") % {"column": name,
                                                             "problem": problem})
            continue
        try:
            value = check(raw.get(name, "").strip())
        except ValidationError as error:
            row.errors.extend(error.messages)
        else:
            if value not in (None, ""):
                row.city[name] = value
    return row


def _name(value: str) -> str:
    if not value:
        raise ValidationError(_("The name is missing."))
    return _at_most(120, tidy_name(value), _("The name is longer than 120 characters."))


def _local_name(value: str) -> str:
    return _at_most(120, value, _("The local name is longer than 120 characters."))


def _at_most(length: int, value: str, message: str) -> str:
    if len(value) > length:
        raise ValidationError(message)
    return value


def _country(value: str) -> str:
    if not value:
        raise ValidationError(_("The country is missing."))
    code = countries.alpha2(value) or countries.by_name(value)
    if not code:
        raise ValidationError(_("“%(value)s” is not a country we know. Use its ISO code (JP) "
                                "or English name (Japan).") % {"value": value})
    return code


def _population(value: str) -> int | None:
    if not value:
        return None
    digits = re.sub(r"[,\s_]", "", value)
    if not digits.isdigit() or int(digits) > MAX_POPULATION:
        raise ValidationError(_("The population “%(value)s” is not a whole number of zero or "
                                "more.") % {"value": value})
    return int(digits)


def _website(value: str) -> str:
    if not value:
        return ""
    try:
        return forms.URLField(max_length=200, assume_scheme="https").clean(value)
    except ValidationError:
        raise ValidationError(_("The website “%(value)s” is not a web address.")
                              % {"value": value}) from None


def _tier(value: str) -> str:
    if not value:
        return ""
    for tier in Tier:
        if value.lower() in (tier.value, str(tier.label).lower()):
            return tier.value
    raise ValidationError(_("The tier “%(value)s” is not one of: %(tiers)s.")
                          % {"value": value, "tiers": ", ".join(Tier.values)})


def _tags(value: str) -> list[str]:
    names = list(dict.fromkeys(t.strip() for t in re.split(r"[,;]", value) if t.strip()))
    if any(len(name) > 50 for name in names):
        raise ValidationError(_("A tag is longer than 50 characters."))
    return names


# Column -> its check: the cleaned value, or ValidationError with the reason. If a column is
# added here, add it to COLUMNS (the template and the upload page list it).
FIELD_CHECKS = {"name": _name, "local_name": _local_name, "country": _country,
                "population": _population, "website": _website, "tier": _tier,
                "tags": _tags, "notes": str}


# Importing ----------------------------------------------------------------------------------

def import_cities(*, actor, region, rows: list[dict[str, str]], skip_duplicates: bool = False
                  ) -> list[City]:
    """Create every city of the file on the long list, or none if any row is bad. A row that
    duplicates a city already listed refuses the import too, unless `skip_duplicates`: then
    the other rows are imported and it is left out."""
    permissions.require(actor, "cities.import", region=region)
    checked = check_rows(region=region, rows=rows)
    if not checked:
        raise DomainError(_("The file has no cities to import."), field="file")
    duplicates = [row for row in checked if row.duplicate_of]
    if any(row.errors for row in checked) or (duplicates and not skip_duplicates):
        raise ImportRejected(checked)
    new = [row for row in checked if not row.duplicate_of]
    if not new:
        raise DomainError(_("Every row of the file is a city already on the list; nothing "
                            "was imported."), field="file")
    try:
        with transaction.atomic():
            cities = _create(region=region, checked=new)
            audit.record(actor=actor, action="cities.city.imported", target=region,
                         region=region, count=len(cities), skipped=len(duplicates))
    except IntegrityError:
        # Someone added one of these cities between the check and the insert.
        raise ImportRejected(check_rows(region=region, rows=rows)) from None
    return cities


def _create(*, region, checked: list[CheckedRow]) -> list[City]:
    fields = [dict(row.city) for row in checked]
    tag_names = [f.pop("tags", []) for f in fields]
    cities = City.objects.bulk_create(
        [City(region=region, stage=Stage.LONG_LIST, **f) for f in fields])
    tags = {tag.name: tag for tag in tags_named(region, {n for names in tag_names for n in names})}
    City.tags.through.objects.bulk_create(
        [City.tags.through(city_id=city.pk, tag_id=tags[name].pk)
         for city, names in zip(cities, tag_names, strict=True) for name in names])
    return cities

