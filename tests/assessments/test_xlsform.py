"""XLSForm exchange: a good workbook becomes a new draft version; a workbook with bad rows
creates nothing and every bad row is reported; export then import gives the same version."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.models import (
    Condition,
    ModelPolicy,
    PrincipleKey,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Section,
)
from assessments.services import questionnaires as builder
from assessments.services import xlsform
from tests.assessments.factories import (
    ModelPolicyFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    VersionFactory,
    all_principles,
)

HEADER = ["type", "name", "label::English (en)", "label::Japanese (ja)", "label::es", "hint",
          "required", "relevant", "weight", "simplified", "principle", "model_policy"]
GOOD_SURVEY = [
    ["begin_group", "privacy", "Privacy", "プライバシー", "Privacidad", "", "", "", "", "",
     "privacy", "Data protection impact assessments"],
    ["select_one yes_partial_no", "has_policy", "Is there a data protection policy?",
     "データ保護方針はありますか？", "", "Adopted by council", "yes", "", "2", "yes", "", ""],
    ["text", "policy_details", "Describe it.", "", "Descríbala.", "", "no",
     "${has_policy} = 'yes'", "0", "no", "", ""],
    ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
    ["begin group", "security", "Security", "", "", "", "", "${has_policy} != 'no'", "", "",
     "security", ""],
    ["select_one maturity", "incident_response", "How mature is incident response?", "", "",
     "", "true", "", "", "", "", ""],
    ["integer", "staff", "How many security staff?", "", "", "", "", "", "", "", "", ""],
    ["file", "plan", "Upload the plan.", "", "", "", "", "${incident_response} >= 2", "", "",
     "", ""],
    ["end group", "", "", "", "", "", "", "", "", "", "", ""],
]
CHOICES = [["list_name", "name", "label"], ["yes_partial_no", "yes", "Yes"],
           ["yes_partial_no", "partial", "Partly"], ["yes_partial_no", "no", "No"],
           *[["maturity", str(n), str(n)] for n in range(5)]]


def workbook(survey_rows, *, header=HEADER, choices=CHOICES) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(header)
    for row in survey_rows:
        survey.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@pytest.fixture
def setting(db):
    all_principles()
    ModelPolicyFactory(title="Data protection impact assessments")
    return QuestionnaireFactory(name="Policy Assessment")


def _import(cast, questionnaire, content: bytes):
    return xlsform.import_version(actor=cast.global_secretariat, questionnaire=questionnaire,
                                  upload=io.BytesIO(content), filename="survey.xlsx")


def test_a_good_workbook_becomes_a_new_draft_version(cast, setting):
    VersionFactory(questionnaire=setting, number=1)
    version = _import(cast, setting, workbook(GOOD_SURVEY))
    assert (version.number, version.state) == (2, QuestionnaireVersion.State.DRAFT)
    sections = list(Section.objects.filter(version=version).order_by("position"))
    assert [s.name for s in sections] == ["privacy", "security"]
    assert sections[0].principle.key == PrincipleKey.PRIVACY
    assert sections[0].model_policy.title == "Data protection impact assessments"
    assert sections[0].translations == {"ja": {"title": "プライバシー"},
                                        "es": {"title": "Privacidad"}}
    assert sections[1].shown_if.name == "has_policy"
    assert (sections[1].operator, sections[1].value) == (Condition.NOT_EQUALS, "no")
    questions = {q.name: q for q in Question.objects.filter(section__version=version)}
    has_policy = questions["has_policy"]
    assert has_policy.kind == QuestionKind.YES_PARTIAL_NO
    assert (has_policy.weight, has_policy.required, has_policy.hint) == (
        Decimal("2.00"), True, "Adopted by council")
    assert has_policy.translations == {"ja": {"text": "データ保護方針はありますか？"}}
    details = questions["policy_details"]
    assert (details.kind, details.required, details.in_simplified) == (
        QuestionKind.TEXT, False, False)
    assert details.shown_if == has_policy and details.value == "yes"
    assert questions["incident_response"].kind == QuestionKind.MATURITY
    assert questions["staff"].kind == QuestionKind.NUMBER
    assert questions["plan"].kind == QuestionKind.EVIDENCE
    assert (questions["plan"].operator, questions["plan"].value) == (Condition.AT_LEAST, "2")
    assert not builder.rule_problems(version)


def test_a_workbook_with_bad_rows_creates_nothing_and_reports_every_row(cast, setting):
    bad = [
        ["begin_group", "privacy", "Privacy", "", "", "", "", "", "", "", "ethics", "Nope"],
        ["select_one yes_partial_no", "has_policy", "Policy?", "", "", "", "maybe", "", "heavy",
         "", "", ""],
        ["select_multiple tools", "tools", "Which tools?", "", "", "", "", "", "", "", "", ""],
        ["calculate", "total", "", "", "", "", "", "", "", "", "", ""],
        ["note", "intro", "Welcome", "", "", "", "", "", "", "", "", ""],
        ["text", "details", "Details", "", "", "", "", "${has_policy} = 'yes' and ${x} = 1",
         "", "", "", ""],
        ["text", "later", "Later", "", "", "", "", "${not_yet} = 'yes'", "", "", "", ""],
        ["begin_group", "nested", "Nested", "", "", "", "", "", "", "", "", ""],
        ["text", "has_policy", "Duplicate", "", "", "", "", "", "", "", "", ""],
        ["text", "", "", "", "", "", "", "", "", "", "", ""],
        ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(xlsform.ImportRefused) as refused:
        _import(cast, setting, workbook(bad, choices=[*CHOICES[:3], ["yes_partial_no", "n",
                                                                     "No"]]))
    problems = refused.value.problems
    rows = sorted({p.row for p in problems if p.sheet == "survey"})
    assert rows == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    reasons = " ".join(p.reason for p in problems)
    for words in ("ethics", "Nope", "maybe", "heavy", "select_multiple", "Calculations",
                  "Notes", "not supported", "not_yet", "inside groups", "second question",
                  "no English label"):
        assert words in reasons, words
    assert any(p.sheet == "choices" for p in problems)
    assert not QuestionnaireVersion.objects.filter(questionnaire=setting).exists()
    assert not Question.objects.exists()


def test_the_import_page_lists_every_bad_row(cast, client_for, setting):
    content = workbook([["begin_group", "g", "G"], ["select_multiple x", "a", "A"],
                        ["repeat", "b", "B"], ["end_group"]])
    response = client_for(cast.global_secretariat).post(
        reverse("global:version-import", args=[setting.pk]),
        {"file": SimpleUploadedFile("survey.xlsx", content)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "select_multiple" in text and "repeat" in text
    assert "2 rows need a change" in text
    assert not QuestionnaireVersion.objects.exists()


def test_an_upload_that_is_not_a_workbook_is_refused_plainly(cast, client_for, setting):
    browser = client_for(cast.global_secretariat)
    url = reverse("global:version-import", args=[setting.pk])
    response = browser.post(url, {"file": SimpleUploadedFile("survey.xlsx", b"not a zip")})
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    response = browser.post(url, {"file": SimpleUploadedFile("survey.csv", b"a,b")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not QuestionnaireVersion.objects.exists()


def test_a_good_upload_through_the_page_opens_the_new_draft(cast, client_for, setting):
    response = client_for(cast.global_secretariat).post(
        reverse("global:version-import", args=[setting.pk]),
        {"file": SimpleUploadedFile("survey.xlsx", workbook(GOOD_SURVEY))})
    version = QuestionnaireVersion.objects.get(questionnaire=setting)
    assert response.status_code == 302
    assert response.url == reverse("global:version-detail", args=[version.pk])


def _shape(version):
    sections = [(s.position, s.name, s.title, s.translations, s.principle_id, s.model_policy_id,
                 s.shown_if.name if s.shown_if else None, s.operator, s.value)
                for s in Section.objects.filter(version=version).order_by("position")]
    questions = [(q.section.name, q.name, q.kind, q.text, q.hint, q.translations, q.weight,
                  q.required, q.in_simplified, q.shown_if.name if q.shown_if else None,
                  q.operator, q.value)
                 for q in Question.objects.filter(section__version=version).order_by(
                     "section__position", "position")]
    return sections, questions


def test_export_then_import_gives_the_same_version(cast, client_for, setting):
    version = VersionFactory(questionnaire=setting, number=1)
    policy = ModelPolicy.objects.get()
    first = SectionFactory(version=version, name="privacy", title="Privacy", position=1,
                           model_policy=policy, translations={"pt-br": {"title": "Privacidade"}})
    second = SectionFactory(version=version, name="numbers", title="Numbers", position=2)
    has_policy = QuestionFactory(section=first, name="has_policy", text="Policy?",
                                 hint="Any policy", weight=Decimal("1.50"),
                                 translations={"ja": {"text": "方針？", "hint": "方針"}})
    QuestionFactory(section=first, name="level", kind=QuestionKind.MATURITY, text="Level?",
                    required=False, shown_if=has_policy, operator=Condition.NOT_EQUALS,
                    value="no")
    staff = QuestionFactory(section=second, name="staff", kind=QuestionKind.NUMBER,
                            text="Staff?", in_simplified=False)
    QuestionFactory(section=second, name="evidence", kind=QuestionKind.EVIDENCE, text="Proof",
                    shown_if=staff, operator=Condition.AT_MOST, value="3")
    second.shown_if, second.operator, second.value = has_policy, Condition.EQUALS, "yes"
    second.save()

    response = client_for(cast.global_secretariat).get(
        reverse("global:version-export", args=[version.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["survey", "choices", "settings"]
    copy = _import(cast, setting, content)
    assert _shape(copy) == _shape(version)
