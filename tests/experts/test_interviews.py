"""Interviews (the red-flag checklist, a raised flag needing its note, the suitability
decision) and the conflicts of interest (ties found, a decision on each, changes audited)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from alliance.errors import DomainError
from alliance.models import AuditEntry
from alliance.services.audit import describe
from assessments.models import Principle
from experts.models import ConflictCheck, Interview, RedFlag, Stage, Suitability, TieDecision
from experts.services import conflicts, interviews
from tests.experts.factories import ExpertFactory, InterviewFactory
from tests.factories import CityFactory, ContactFactory, PartnerNetworkFactory

BASE = "/r/aurora/experts"


def _expert(cast, **kwargs):
    return ExpertFactory(region=cast.home.region, **kwargs)


def _form(**changes):
    data = {"held_on": "2026-11-20", "strengths": "Open data procurement",
            "suitability": "suitable", "decision_note": "Knows the practice"}
    data.update(changes)
    return data


def test_recording_an_interview_moves_a_candidate_to_interviewed(cast, secretariat):
    expert = _expert(cast)
    privacy = Principle.objects.get(key="privacy")
    response = secretariat.post(f"{BASE}/{expert.pk}/interviews/new/", _form(
        principles=[privacy.pk], flag_sales="on",
        flag_sales_note="Talked about the product throughout"))
    with scope(region=cast.home.region):
        interview = Interview.objects.get(expert=expert)
        entry = AuditEntry.objects.filter(action="experts.interview.recorded").get()
    assert response["Location"] == f"{BASE}/interviews/{interview.pk}/"
    assert interview.raised_flags == [RedFlag.SALES]
    assert interview.red_flags["sales"]["note"] == "Talked about the product throughout"
    assert interview.interviewer == cast.home.regional_secretariat
    assert list(interview.principles.all()) == [privacy]
    expert.refresh_from_db()
    assert expert.stage == Stage.INTERVIEWED
    assert "Suitable" in describe(entry)
    page = secretariat.get(f"{BASE}/interviews/{interview.pk}/").content.decode()
    assert "Talked about the product throughout" in page


def test_a_raised_flag_needs_its_note(cast, secretariat):
    expert = _expert(cast)
    response = secretariat.post(f"{BASE}/{expert.pk}/interviews/new/",
                                _form(flag_commitment="on"))
    assert response.status_code == 200
    assert "Say what you saw for" in response.content.decode()
    with scope(region=cast.home.region):
        assert not Interview.objects.exists()
    expert.refresh_from_db()
    assert expert.stage == Stage.CANDIDATE


def test_the_service_refuses_a_raised_flag_without_note_and_unknown_flags(cast):
    expert = _expert(cast)
    with scope(region=cast.home.region):
        for flags in ({"policy": {"raised": True, "note": " "}},
                      {"astrology": {"raised": True, "note": "x"}}):
            with pytest.raises(DomainError):
                interviews.record_interview(actor=cast.home.regional_secretariat,
                                            expert=expert, held_on=datetime.date(2026, 11, 2),
                                            red_flags=flags)
        assert not Interview.objects.exists()


def test_a_suitability_decision_says_why(cast, secretariat):
    expert = _expert(cast)
    response = secretariat.post(f"{BASE}/{expert.pk}/interviews/new/",
                                _form(suitability="not_suitable", decision_note=""))
    assert "Say why the expert is or is not suitable" in response.content.decode()
    with scope(region=cast.home.region):
        assert not Interview.objects.exists()


def test_editing_an_interview_is_audited_on_the_expert(cast, secretariat):
    expert = _expert(cast, stage=Stage.INTERVIEWED)
    interview = InterviewFactory(expert=expert, interviewer=cast.home.regional_secretariat,
                                 held_on=datetime.date(2026, 11, 2))
    secretariat.post(f"{BASE}/interviews/{interview.pk}/edit/", _form(
        held_on="2026-11-02", suitability="not_suitable", decision_note="No time",
        flag_commitment="on", flag_commitment_note="Cannot join groups"))
    interview.refresh_from_db()
    assert interview.suitability == Suitability.NOT_SUITABLE
    assert interview.raised_flags == [RedFlag.COMMITMENT]
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="experts.interview.updated")
    assert entry.object_id == expert.pk
    assert "2026-11-02" in describe(entry)


def test_a_forum_reviewer_cannot_record_an_interview(cast, client_for):
    expert = _expert(cast)
    client = client_for(cast.home.forum_reviewer)
    assert client.post(f"{BASE}/{expert.pk}/interviews/new/", _form()).status_code == 403
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        interviews.record_interview(actor=cast.home.forum_reviewer, expert=expert,
                                    held_on=datetime.date(2026, 11, 2))


# -- conflicts of interest --------------------------------------------------------------------

def test_ties_to_cities_experts_partners_and_declared_interests(cast):
    region = cast.home.region
    kobe = CityFactory(region=region, name="Kobe")
    nara = CityFactory(region=region, name="Nara")
    ContactFactory(city=nara, region=region, email="someone@kansaidata.example")
    CityFactory(region=region, name="Unrelated")
    colleague = _expert(cast, name="Colleague", organization="Kansai Data")
    network = PartnerNetworkFactory(region=region, name="Kansai Data")
    foreign = ExpertFactory(region=cast.foreign.region, organization="Kansai Data")
    expert = _expert(cast, organization="Kansai Data", email="me@kansaidata.example",
                     declared_interests="Kobe\n\nShares in Osaka Rail\nkobe")
    with scope(region=region):
        keys = [tie.key for tie in conflicts.ties_of(expert)]
    assert keys == [f"city:{kobe.pk}", f"city:{nara.pk}", f"expert:{colleague.pk}",
                    f"partner:{network.pk}", "interest:Kobe", "interest:Shares in Osaka Rail"]
    assert f"expert:{foreign.pk}" not in keys


def test_a_common_mail_domain_is_no_tie(cast):
    region = cast.home.region
    nara = CityFactory(region=region, name="Nara")
    ContactFactory(city=nara, region=region, email="someone@gmail.com")
    expert = _expert(cast, organization="", email="me@gmail.com")
    with scope(region=region):
        assert conflicts.ties_of(expert) == []


def test_the_reviewer_records_and_changes_a_decision_on_a_tie(cast, client_for):
    region = cast.home.region
    kobe = CityFactory(region=region, name="Kobe")
    expert = _expert(cast, declared_interests="Kobe")
    interview = InterviewFactory(expert=expert)
    client = client_for(cast.home.forum_reviewer)
    page = client.get(f"{BASE}/interviews/{interview.pk}/").content.decode()
    assert "Kobe (city in the pipeline)" in page and "Record the decision" in page
    back = f"{BASE}/interviews/{interview.pk}/"
    response = client.post(f"{BASE}/{expert.pk}/conflicts/", {
        "tie": f"city:{kobe.pk}", "decision": "manageable", "note": "Advises on one project",
        "next": back})
    assert response["Location"] == f"{back}#conflicts-heading"
    client.post(f"{BASE}/{expert.pk}/conflicts/", {
        "tie": f"city:{kobe.pk}", "decision": "conflict", "note": "Paid by the city",
        "next": back})
    with scope(region=region):
        check = ConflictCheck.objects.get(expert=expert)
        entries = list(AuditEntry.objects.filter(action="experts.conflict.decided")
                       .order_by("pk"))
    assert (check.decision, check.note, check.decided_by) == (
        TieDecision.CONFLICT, "Paid by the city", cast.home.forum_reviewer)
    assert [(e.data["old"], e.data["new"]) for e in entries] == [
        ("", "manageable"), ("manageable", "conflict")]
    assert "Conflict" in describe(entries[1])


def test_a_conflict_decision_says_how_it_is_handled(cast):
    region = cast.home.region
    expert = _expert(cast, declared_interests="Board of Osaka Rail")
    with scope(region=region):
        with pytest.raises(DomainError):
            conflicts.decide(actor=cast.home.forum_reviewer, expert=expert,
                             tie="interest:Board of Osaka Rail", decision="conflict")
        with pytest.raises(DomainError):
            conflicts.decide(actor=cast.home.forum_reviewer, expert=expert,
                             tie="interest:Something else", decision="no_conflict")
        with pytest.raises(PermissionDenied):
            conflicts.decide(actor=cast.home.city_contact, expert=expert,
                             tie="interest:Board of Osaka Rail", decision="no_conflict")
        conflicts.decide(actor=cast.home.forum_reviewer, expert=expert,
                         tie="interest:Board of Osaka Rail", decision="no_conflict")
        assert ConflictCheck.objects.get(expert=expert).decision == TieDecision.NO_CONFLICT


def test_a_bad_decision_changes_nothing(cast, secretariat):
    expert = _expert(cast, declared_interests="Board of Osaka Rail")
    response = secretariat.post(f"{BASE}/{expert.pk}/conflicts/", {
        "tie": "interest:Board of Osaka Rail", "decision": "maybe"}, follow=True)
    assert response.status_code == 200
    with scope(region=cast.home.region):
        assert not ConflictCheck.objects.exists()


def test_the_ties_cost_one_query_whatever_their_number(cast, django_assert_max_num_queries):
    region = cast.home.region
    for n in range(5):
        city = CityFactory(region=region, name=f"City {n}")
        ContactFactory(city=city, region=region, email=f"c{n}@kansaidata.example")
        _expert(cast, organization="Kansai Data")
    expert = _expert(cast, organization="Kansai Data", email="x@kansaidata.example")
    with scope(region=region), django_assert_max_num_queries(1):
        assert len(conflicts.ties_of(expert)) == 10
