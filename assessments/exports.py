"""A campaign's answers as CSV (streamed) or XLSX: one row per city and question answered,
read in one query (a join, in chunks), never a query per row."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from alliance import permissions

from .models import Answer, Assessment, Campaign, translated
from .services.reports import shown_answer

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
FIELDS = ("assessment__city__name", "question__section__name", "question__name",
          "question__text", "question__translations", "question__kind", "choice", "number",
          "text", "evidence_url", "evidence_name", "answered_by__full_name",
          "answered_by__email", "updated_at", "points", "counted_weight")


def columns() -> list[str]:
    return [_("City"), _("Section"), _("Question name"), _("Question"), _("Answer"),
            _("Answered by"), _("Updated at"), _("Score")]


def answers_of(campaign: Campaign):
    """The campaign's answers in city and questionnaire order (inside the region's scope)."""
    return (Answer.objects.filter(assessment__campaign=campaign)
            .order_by("assessment__city__name", "assessment_id", "question__section__position",
                      "question__section_id", "question__position", "question_id"))


def own_assessments(user, campaign: Campaign):
    """The assessments of the campaign a city contact answers for (their linked city)."""
    if not permissions.can(user, "assessments.answer", region=campaign.region):
        return Assessment.objects.none()
    return Assessment.objects.filter(campaign=campaign, city__contacts__user=user)


def _row(values: dict) -> list:
    number = values["number"]
    if isinstance(number, Decimal) and number == number.to_integral_value():
        number = number.quantize(1)
    answer = shown_answer(values["question__kind"], values["choice"], number,
                          values["text"], values["evidence_url"], values["evidence_name"])
    weight = values["counted_weight"]
    score = round(100 * values["points"] / weight, 1) if weight else None
    return [values["assessment__city__name"], values["question__section__name"],
            values["question__name"],
            translated(values["question__text"], values["question__translations"] or {}, "text"),
            answer, values["answered_by__full_name"] or values["answered_by__email"] or "",
            timezone.localtime(values["updated_at"]).replace(tzinfo=None)
            if values["updated_at"] else None, score]


def rows(answers):
    """The rows, read in chunks. A streamed response reads them after the view returned:
    they are made in the language and time zone of the request that asked."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def made():
        with translation.override(language), timezone.override(zone):
            for values in answers.values(*FIELDS).iterator(chunk_size=CHUNK):
                yield _row(values)

    return made()


def _cell(value):
    """Text a spreadsheet would run as a formula is quoted (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(answers, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    heading, body = columns(), rows(answers)

    def lines():
        yield "\ufeff" + writer.writerow(heading)
        for row in body:
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    value = _cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_response(answers, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Answers"))
    sheet.append(columns())
    for row in rows(answers):
        sheet.append([_xlsx_cell(value) for value in row])
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
