"""Reports: made by the task (never in the request), kept while their data is unchanged and
made anew after an answer changes; their PDF text read back, in Japanese and Spanish too;
who may ask for which, and the pages that show progress and the download."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader

from assessments.models import Answer, Assessment, PrincipleKey, Report, ReviewComment
from assessments.services import reports
from assessments.services.scoring import score
from tests.factories import CityFactory, ContactFactory
from tests.pdfs import embedded_fonts, notdef_warnings

from .factories import (
    AnswerFactory,
    AssessmentFactory,
    CampaignFactory,
    QuestionFactory,
    SectionFactory,
    VersionFactory,
    principle,
)

pytestmark = pytest.mark.django_db

JAPANESE = "個人情報保護方針はありますか"
SPANISH = "¿Tiene la ciudad una política de privacidad?"


def text_of(report: Report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def world(cast):
    """The home region's campaign: six cities answered and submitted, the city contact's
    city (Maebashi) among them, with a comment of the secretariat on one answer."""
    region = cast.home.region
    version = VersionFactory()
    privacy = SectionFactory(version=version, principle=principle(PrincipleKey.PRIVACY),
                             title="Privacy")
    security = SectionFactory(version=version, principle=principle(PrincipleKey.SECURITY),
                              title="Security")
    policy = QuestionFactory(section=privacy, text="Does the city have a privacy policy?",
                             translations={"ja": {"text": JAPANESE}, "es": {"text": SPANISH}})
    tested = QuestionFactory(section=security, text="Are backups tested?")
    campaign = CampaignFactory(region=region, version=version, year=2026)
    mine = None
    for index, (first, second) in enumerate((("yes", "yes"), ("no", "no"), ("partial", "yes"),
                                             ("yes", "no"), ("no", "partial"),
                                             ("yes", "partial"))):
        city = CityFactory(region=region, name="Maebashi" if index == 0 else f"City {index}")
        assessment = AssessmentFactory(campaign=campaign, city=city)
        AnswerFactory(assessment=assessment, question=policy, choice=first)
        AnswerFactory(assessment=assessment, question=tested, choice=second)
        with scope(region=region):
            score(assessment)
        Assessment.objects.filter(pk=assessment.pk).update(state=Assessment.State.SUBMITTED,
                                                           submitted_at=timezone.now())
        mine = mine or assessment
    ContactFactory(city=mine.city, user=cast.home.city_contact)
    ReviewComment.objects.create(region=region, assessment=mine, question=tested,
                                 body="Please attach the last backup test.")
    mine.refresh_from_db()
    return campaign, mine, policy


def ask(campaign, assessment=None, *, actor, language="en"):
    with scope(region=campaign.region):
        return reports.request_report(actor=actor, campaign=campaign, assessment=assessment,
                                      language=language)


def test_city_report_shows_scores_place_answers_and_comments(cast, world,
                                                             django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(campaign, mine, actor=cast.home.regional_secretariat)
    report.refresh_from_db()
    assert (report.state, report.progress, report.error) == (Report.State.READY, 100, "")
    text = text_of(report)
    assert "Maebashi: policy assessment 2026" in text
    assert "100 / 100" in text  # yes and yes
    assert "1 of 6" in text  # the highest overall score (tied ranks share the first place)
    assert "Does the city have a privacy policy?" in text and "Yes" in text
    assert "Please attach the last backup test." in text


@pytest.mark.parametrize("language, expected", [("ja", JAPANESE), ("es", SPANISH)])
def test_city_report_in_the_report_language(cast, world, language, expected, caplog,
                                            django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(campaign, mine, actor=cast.home.regional_secretariat, language=language)
    report.refresh_from_db()
    assert report.state == Report.State.READY
    assert expected in text_of(report)
    with report.file.open("rb") as handle:
        assert "IPAexGothic" in embedded_fonts(handle.read())
    assert notdef_warnings(caplog.records) == []  # no glyph drawn as a box


def test_region_report_lists_every_city_and_the_distribution(cast, world,
                                                             django_capture_on_commit_callbacks):
    campaign, _mine, _policy = world
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(campaign, actor=cast.home.regional_secretariat)
    report.refresh_from_db()
    text = text_of(report)
    assert report.kind == Report.Kind.REGION and report.state == Report.State.READY
    assert "Maebashi" in text and "City 5" in text
    assert "Median" in text and "First quartile" in text


def test_a_report_of_unchanged_data_is_reused_and_made_anew_after_an_answer_changes(
        cast, world, django_capture_on_commit_callbacks):
    campaign, mine, policy = world
    actor = cast.home.regional_secretariat
    with django_capture_on_commit_callbacks(execute=True) as rendered:
        first = ask(campaign, mine, actor=actor)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as again:
        second = ask(campaign, mine, actor=actor)
    assert second.pk == first.pk and len(rendered) == 1 and again == []
    with scope(region=campaign.region):
        Answer.objects.filter(assessment=mine, question=policy).update(
            choice="partial", updated_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        third = ask(campaign, mine, actor=actor)
    assert third.pk != first.pk
    third.refresh_from_db()
    assert third.state == Report.State.READY and third.fingerprint != first.fingerprint
    with scope(region=campaign.region):  # the report of the data as it was is gone
        assert list(Report.objects.values_list("pk", flat=True)) == [third.pk]
    assert not first.file.storage.exists(first.file.name)


def test_rendering_twice_keeps_the_report_made(cast, world, django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(campaign, mine, actor=cast.home.regional_secretariat)
    report.refresh_from_db()
    with scope(region=campaign.region):
        again = reports.render_report(report_id=report.pk)
    assert again.file.name == report.file.name and again.state == Report.State.READY


def test_a_failed_report_keeps_its_reason_and_can_be_tried_again(
        cast, world, monkeypatch, django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    actor = cast.home.regional_secretariat

    def broken(*args, **kwargs):
        raise ValueError("no fonts")

    monkeypatch.setattr(reports, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        failed = ask(campaign, mine, actor=actor)
    failed.refresh_from_db()
    assert failed.state == Report.State.FAILED and "ValueError" in failed.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True), scope(region=campaign.region):
        retried = reports.retry_report(actor=actor, report=failed)
    retried.refresh_from_db()
    assert retried.state == Report.State.READY


def test_report_request_page_queues_then_detail_shows_the_download(
        cast, world, client_for, django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    client = client_for(cast.home.city_contact)
    url = reverse("report-request", kwargs={"region_slug": "aurora", "campaign_id": campaign.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"assessment": mine.pk, "language": "ja"})
    with scope(region=campaign.region):
        report = Report.objects.get()
    detail = reverse("report-detail", kwargs={"region_slug": "aurora", "report_id": report.pk})
    assert response.status_code == 302 and response.url == detail
    page = client.get(detail)
    download = reverse("report-download", kwargs={"region_slug": "aurora",
                                                  "report_id": report.pk})
    assert download in page.content.decode()
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_progress_is_polled_while_the_report_is_made(cast, world, client_for):
    campaign, mine, _policy = world
    report = Report.objects.create(region=campaign.region, kind=Report.Kind.CITY,
                                   campaign=campaign, assessment=mine, language="en",
                                   fingerprint="x", state=Report.State.RENDERING, progress=40)
    client = client_for(cast.home.regional_secretariat)
    detail = reverse("report-detail", kwargs={"region_slug": "aurora", "report_id": report.pk})
    body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="load delay:2s"' in body and 'value="40"' in body


def test_a_city_contact_reaches_only_their_own_city_report(cast, world, client_for):
    campaign, mine, _policy = world
    with scope(region=campaign.region):
        other = Assessment.objects.filter(campaign=campaign).exclude(pk=mine.pk).first()
    region_report = Report.objects.create(region=campaign.region, kind=Report.Kind.REGION,
                                          campaign=campaign, language="en", fingerprint="x")
    foreign = Report.objects.create(region=campaign.region, kind=Report.Kind.CITY,
                                    campaign=campaign, assessment=other, language="en",
                                    fingerprint="x")
    client = client_for(cast.home.city_contact)
    for report in (foreign, region_report):
        url = reverse("report-detail", kwargs={"region_slug": "aurora", "report_id": report.pk})
        assert client.get(url).status_code == 404
    request = reverse("report-request", kwargs={"region_slug": "aurora",
                                                "campaign_id": campaign.pk})
    assert client.post(request, {"assessment": other.pk, "language": "en"}).status_code == 404
    assert client.post(request, {"language": "en"}).status_code == 403
    with scope(region=campaign.region):
        assert not Report.objects.exclude(pk__in=[region_report.pk, foreign.pk]).exists()


def test_a_city_contact_gets_no_report_before_submitting(cast, world, client_for):
    campaign, mine, _policy = world
    with scope(region=campaign.region):
        Assessment.objects.filter(pk=mine.pk).update(state=Assessment.State.IN_PROGRESS)
    client = client_for(cast.home.city_contact)
    request = reverse("report-request", kwargs={"region_slug": "aurora",
                                                "campaign_id": campaign.pk})
    assert client.post(request, {"assessment": mine.pk, "language": "en"}).status_code == 404
    with scope(region=campaign.region):
        assert not Report.objects.exists()


def test_bad_report_requests_change_nothing(cast, world, client_for):
    campaign, _mine, _policy = world
    client = client_for(cast.home.regional_secretariat)
    request = reverse("report-request", kwargs={"region_slug": "aurora",
                                                "campaign_id": campaign.pk})
    for data in ({"assessment": "nope", "language": "en"}, {"language": "<b>xx</b>"},
                 {"assessment": 10**12, "language": "en"}):
        response = client.post(request, data)
        assert response.status_code in (400, 404)
        assert not response["Content-Type"].startswith("text/html") or (
            b"<b>" not in response.content)
    assert client.get(request).status_code == 405
    with scope(region=campaign.region):
        assert not Report.objects.exists()


# -- the API ------------------------------------------------------------------------------------

REPORTS_API = "/api/v1/regions/aurora/reports/"


def test_api_asks_for_a_report_then_reads_its_download_url(cast, api, world,
                                                          django_capture_on_commit_callbacks):
    campaign, mine, _policy = world
    api.force_authenticate(cast.home.regional_secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(REPORTS_API, {"campaign": campaign.pk, "assessment": mine.pk,
                                          "language": "es"}, format="json")
    assert response.status_code == 201 and response.data["state"] == "queued"
    report = api.get(f"{REPORTS_API}{response.data['id']}/").data
    assert report["state"] == "ready" and report["progress"] == 100
    assert report["download_url"].endswith(f"/reports/{report['id']}/download/")
    again = api.post(REPORTS_API, {"campaign": campaign.pk, "assessment": mine.pk,
                                   "language": "es"}, format="json")
    assert again.status_code == 200 and again.data["id"] == report["id"]


def test_api_refuses_bad_report_requests(cast, api, world):
    campaign, mine, _policy = world
    api.force_authenticate(cast.home.regional_secretariat)
    other = CampaignFactory(region=campaign.region, version=campaign.version, year=2027)
    for data in ({"campaign": campaign.pk, "language": "xx"},
                 {"campaign": 10**20},
                 {"campaign": other.pk, "assessment": mine.pk},
                 {"campaign": campaign.pk, "kind": "city"}):
        response = api.post(REPORTS_API, data, format="json")
        assert response.status_code == 400, data
    with scope(region=campaign.region):
        assert not Report.objects.exists()


def test_api_city_contact_reaches_only_their_own_city_reports(cast, api, world):
    campaign, mine, _policy = world
    with scope(region=campaign.region):
        other = Assessment.objects.filter(campaign=campaign).exclude(pk=mine.pk).first()
    own = Report.objects.create(region=campaign.region, kind=Report.Kind.CITY,
                                campaign=campaign, assessment=mine, language="en",
                                fingerprint="x")
    foreign = Report.objects.create(region=campaign.region, kind=Report.Kind.CITY,
                                    campaign=campaign, assessment=other, language="en",
                                    fingerprint="x")
    api.force_authenticate(cast.home.city_contact)
    assert api.get(f"{REPORTS_API}{own.pk}/").status_code == 200
    assert api.get(f"{REPORTS_API}{foreign.pk}/").status_code == 404
    response = api.post(REPORTS_API, {"campaign": campaign.pk, "assessment": other.pk},
                        format="json")
    assert response.status_code == 404
    assert api.post(REPORTS_API, {"campaign": campaign.pk}, format="json").status_code == 403


def test_the_task_runs_under_the_report_time_limits():
    from assessments.tasks import render_report

    assert (render_report.soft_time_limit, render_report.time_limit) == (
        reports.SOFT_TIME_LIMIT, reports.TIME_LIMIT)
