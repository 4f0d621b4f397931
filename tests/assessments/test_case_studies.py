"""Case studies for the Urban Transformation Hub: written by the secretariat or a city's own
contact, drawn from an assessment's answer, checked, exported for the Hub and recorded as
sent; a draft stays with its city and the secretariat."""

import csv
import io
import json

from django_scopes import scopes_disabled

from assessments.models import CaseStudy, PrincipleKey
from tests.factories import CityFactory, ContactFactory
from tests.querycount import assert_flat_queries

from .factories import (
    AnswerFactory,
    AssessmentFactory,
    ModelPolicyFactory,
    QuestionFactory,
    principle,
)

BASE = "/r/aurora/assessments/case-studies"
State = CaseStudy.State


def _case_study(region, **fields) -> CaseStudy:
    fields.setdefault("city", CityFactory(region=region))
    return CaseStudy.objects.create(region=region, title=fields.pop("title", "Open data"),
                                    summary="Published 300 datasets.", **fields)


def _get(pk) -> CaseStudy:
    with scopes_disabled():
        return CaseStudy.objects.select_related("city").get(pk=pk)


def test_the_secretariat_writes_one_for_a_city_picked_by_name(cast, secretariat):
    city = CityFactory(region=cast.home.region, name="Maebashi")
    policy = ModelPolicyFactory(title="Open Data")
    response = secretariat.post(f"{BASE}/new/", {
        "city": "Maebashi", "title": "Open data portal", "summary": "300 datasets.",
        "principles": [principle(PrincipleKey.INTEROPERABILITY).pk],
        "model_policy": policy.pk, "link": "maebashi.example/open"})
    with scopes_disabled():
        case_study = CaseStudy.objects.get()
    assert response["Location"] == f"{BASE}/{case_study.pk}/"
    assert (case_study.city, case_study.state, case_study.link) == (
        city, State.DRAFT, "https://maebashi.example/open")
    assert [p.key for p in case_study.principles.all()] == [PrincipleKey.INTEROPERABILITY]
    page = secretariat.get(f"{BASE}/{case_study.pk}/").content.decode()
    assert "Case study “Open data portal” written for Maebashi" in page  # its history


def test_bad_input_shows_field_errors_and_saves_nothing(cast, secretariat):
    page = secretariat.post(f"{BASE}/new/", {"city": "Nowhere", "title": "",
                                             "summary": "x", "link": "not a link"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nothing here is called “Nowhere”" in text and "Enter a valid URL." in text
    with scopes_disabled():
        assert not CaseStudy.objects.exists()


def test_a_city_contact_writes_for_their_own_city_only_and_sees_others_once_ready(
        cast, client_for):
    region = cast.home.region
    own = CityFactory(region=region, name="Maebashi")
    ContactFactory(city=own, user=cast.home.city_contact)
    other = CityFactory(region=region, name="Takamatsu")
    contact = client_for(cast.home.city_contact)
    refused = contact.post(f"{BASE}/new/", {"city": other.pk, "title": "Theirs",
                                            "summary": "Not mine to tell."})
    assert refused.status_code == 200 and "Select a valid choice." in refused.content.decode()
    contact.post(f"{BASE}/new/", {"city": own.pk, "title": "Our sensors",
                                  "summary": "Privacy review before every sensor."})
    others_draft = _case_study(region, city=other, title="Their draft")
    others_ready = _case_study(region, city=other, title="Their lesson", state=State.READY)
    listing = contact.get(f"{BASE}/").content.decode()
    assert "Our sensors" in listing and "Their lesson" in listing
    assert "Their draft" not in listing
    assert contact.get(f"{BASE}/{others_draft.pk}/").status_code == 404
    assert contact.post(f"{BASE}/{others_ready.pk}/", {"title": "Mine now",
                                                       "summary": "x"}).status_code == 404
    assert _get(others_ready.pk).title == "Their lesson"


def test_drawn_from_an_answer_it_starts_with_the_city_principle_and_evidence(cast, secretariat):
    question = QuestionFactory(section__principle=principle(PrincipleKey.SECURITY))
    answer = AnswerFactory(assessment__campaign__region=cast.home.region, question=question,
                           text="Incident drills twice a year.",
                           evidence_url="https://city.example/drills")
    page = secretariat.get(f"{BASE}/new/?answer={answer.pk}").content.decode()
    assert "Incident drills twice a year." in page and "https://city.example/drills" in page
    assert f'value="{answer.assessment.city.name}"' in page
    secretariat.post(f"{BASE}/new/?answer={answer.pk}", {
        "city": answer.assessment.city.pk, "title": "Drills", "summary": "Twice a year.",
        "principles": [principle(PrincipleKey.SECURITY).pk]})
    with scopes_disabled():
        assert CaseStudy.objects.get().source_answer == answer


def test_ready_ones_are_exported_for_the_hub_then_recorded_as_sent(cast, secretariat):
    region = cast.home.region
    ready = _case_study(region, title="=Open data", state=State.READY,
                        city=CityFactory(region=region, name="Maebashi", country="JP"))
    ready.principles.set([principle(PrincipleKey.INTEROPERABILITY)])
    draft = _case_study(region, title="Still a draft")
    rows = list(csv.DictReader(io.StringIO(
        secretariat.get(f"{BASE}/export/?format=csv").content.decode())))
    assert [(r["city"], r["country"], r["title"], r["principles"]) for r in rows] == [
        ("Maebashi", "JP", "'=Open data", "Interoperability and openness")]
    assert json.loads(secretariat.get(f"{BASE}/export/?format=json").content)[0]["title"] == (
        "=Open data")
    assert secretariat.get(f"{BASE}/export/?format=pdf").status_code == 400
    secretariat.post(f"{BASE}/{draft.pk}/ready/")
    secretariat.post(f"{BASE}/sent/")
    assert {_get(ready.pk).state, _get(draft.pk).state} == {State.SENT}
    assert _get(ready.pk).sent_at is not None
    # Sent: the text stays as the Hub has it.
    secretariat.post(f"{BASE}/{ready.pk}/", {"title": "Changed", "summary": "x"})
    assert _get(ready.pk).title == "=Open data"


def test_only_the_secretariat_exports_and_marks(cast, client_for):
    draft = _case_study(cast.home.region)
    reviewer = client_for(cast.home.forum_reviewer)
    assert reviewer.get(f"{BASE}/export/").status_code == 403
    assert reviewer.post(f"{BASE}/{draft.pk}/ready/").status_code == 403
    assert _get(draft.pk).state == State.DRAFT


def test_the_list_filters_and_costs_the_same_for_more_rows(cast, secretariat):
    region = cast.home.region
    privacy = principle(PrincipleKey.PRIVACY)
    _case_study(region, title="Privacy review").principles.set([privacy])
    _case_study(region, title="Open data")
    page = secretariat.get(f"{BASE}/?principle={privacy.pk}").content.decode()
    assert "Privacy review" in page and "Open data" not in page
    page = secretariat.get(f"{BASE}/?q=open").content.decode()
    assert "Open data" in page and "Privacy review" not in page

    def more():
        for i in range(5):
            _case_study(region, title=f"Case {i}").principles.set([privacy])

    assert_flat_queries(lambda: secretariat.get(f"{BASE}/"), more)


def test_the_review_page_offers_to_capture_an_answer_as_a_case_study(cast, secretariat,
                                                                     client_for):
    assessment = AssessmentFactory(campaign__region=cast.home.region, state="submitted")
    question = QuestionFactory(section__version=assessment.campaign.version,
                               kind="text", required=False)
    answer = AnswerFactory(assessment=assessment, question=question,
                           text="Open data since 2019.")
    review = f"/r/aurora/assessments/{answer.assessment.pk}/review/"
    capture = f'href="{BASE}/new/?answer={answer.pk}"'
    assert capture in secretariat.get(review).content.decode()
    # Reviewers read the answers but keep no case studies.
    page = client_for(cast.home.forum_reviewer).get(review)
    assert page.status_code == 200 and capture not in page.content.decode()
