"""A campaign's answers as CSV and XLSX: one row per city and question answered, with the
answer as a person reads it and its score; a city contact gets their own city's only; the
queries do not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import QuestionKind
from tests.factories import CityFactory, ContactFactory, UserFactory

from .factories import (
    AnswerFactory,
    AssessmentFactory,
    CampaignFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(cast):
    region = cast.home.region
    version = VersionFactory()
    section = SectionFactory(version=version, name="privacy", title="Privacy")
    policy = QuestionFactory(section=section, name="has_policy", weight=2,
                             text="Does the city have a privacy policy?",
                             translations={"ja": {"text": "個人情報保護方針はありますか"}})
    maturity = QuestionFactory(section=section, name="maturity", kind=QuestionKind.MATURITY,
                               text="How mature is it?")
    note = QuestionFactory(section=section, name="note", kind=QuestionKind.TEXT,
                           text="Anything to add?")
    campaign = CampaignFactory(region=region, version=version, year=2026)
    author = UserFactory(full_name="Aiko Tanaka")
    mine = AssessmentFactory(campaign=campaign, city=CityFactory(region=region, name="Maebashi"))
    AnswerFactory(assessment=mine, question=policy, choice="partial", points=1,
                  counted_weight=2, answered_by=author)
    AnswerFactory(assessment=mine, question=maturity, choice="3", points=0.75, counted_weight=1)
    AnswerFactory(assessment=mine, question=note, text="=HYPERLINK(\"x\")")
    other = AssessmentFactory(campaign=campaign, city=CityFactory(region=region, name="Kiryu"))
    AnswerFactory(assessment=other, question=policy, choice="yes", points=2, counted_weight=2)
    ContactFactory(city=mine.city, user=cast.home.city_contact)
    return campaign


def export(client, campaign, kind):
    return client.get(reverse("campaign-export", kwargs={"region_slug": "aurora",
                                                         "campaign_id": campaign.pk}),
                      {"format": kind})


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_a_row_per_city_and_question(secretariat, answered):
    response = export(secretariat, answered, "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == ["City", "Section", "Question name", "Question", "Answer", "Answered by",
                       "Updated at", "Score"]
    assert [row[:5] for row in rows[1:]] == [
        ["Kiryu", "privacy", "has_policy", "Does the city have a privacy policy?", "Yes"],
        ["Maebashi", "privacy", "has_policy", "Does the city have a privacy policy?", "Partly"],
        ["Maebashi", "privacy", "maturity", "How mature is it?", "Level 3 of 4"],
        ["Maebashi", "privacy", "note", "Anything to add?", "'=HYPERLINK(\"x\")"],
    ]
    assert rows[2][5] == "Aiko Tanaka"
    assert [row[7] for row in rows[1:]] == ["100.0", "50.0", "75.0", ""]


def test_xlsx_holds_the_same_rows(cast, client_for, answered):
    client = client_for(cast.home.regional_secretariat)
    response = client.get(reverse("campaign-export", kwargs={"region_slug": "aurora",
                                                             "campaign_id": answered.pk}),
                          {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert len(values) == 5
    assert values[1][0] == "Kiryu" and values[1][7] == 100


def test_a_city_contact_exports_only_their_city(cast, client_for, answered):
    rows = csv_rows(export(client_for(cast.home.city_contact), answered, "csv"))
    assert {row[0] for row in rows[1:]} == {"Maebashi"}


def test_others_get_no_export(cast, client_for, answered):
    assert export(client_for(cast.home.expert), answered, "csv").status_code == 404
    assert export(client_for(cast.foreign.regional_secretariat), answered,
                  "csv").status_code == 404


def test_an_unknown_format_is_refused(secretariat, answered):
    assert export(secretariat, answered, "pdf").status_code == 400


def test_queries_do_not_grow_with_the_rows(secretariat, answered):
    csv_rows(export(secretariat, answered, "csv"))  # the first request of a session does more
    with CaptureQueriesContext(connection) as few:
        csv_rows(export(secretariat, answered, "csv"))
    question = QuestionFactory(section=answered.version.sections.get())
    for _index in range(10):
        assessment = AssessmentFactory(campaign=answered,
                                       city=CityFactory(region=answered.region))
        AnswerFactory(assessment=assessment, question=question, choice="yes")
    with CaptureQueriesContext(connection) as many:
        rows = csv_rows(export(secretariat, answered, "csv"))
    assert len(rows) == 15 and len(many) == len(few)
