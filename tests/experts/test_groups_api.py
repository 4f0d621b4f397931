"""The working groups' API: the secretariat's groups, a lead managing their own group's
members and sessions (and no other group's), 400s with the field's reason."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from alliance.models import Delegation
from assessments.models import ModelPolicy
from experts.models import GroupMember, GroupSession, Stage, WorkingGroup
from tests.assessments.factories import ModelPolicyFactory
from tests.factories import CityFactory, ContactFactory

from .factories import ExpertFactory, GroupSessionFactory, WorkingGroupFactory

API = "/api/v1/regions/aurora/experts/groups"
SOON = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()


def _with_lead(cast, api_secretariat, name="Mobility data"):
    response = api_secretariat.post(f"{API}/", {
        "name": name, "cadence": "yearly", "lead": cast.home.expert.pk,
        "lead_scope": "Members and sessions", "lead_review_on": SOON}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_secretariat_creates_a_group_with_a_lead_and_reads_the_delegation(
        cast, api_secretariat):
    policy = ModelPolicyFactory(title="Open Data")
    created = api_secretariat.post(f"{API}/", {
        "name": "Data governance", "cadence": "twice_yearly", "model_policy": policy.pk,
        "lead": cast.home.expert.pk, "lead_review_on": SOON}, format="json").json()
    assert created["lead"] == cast.home.expert.pk
    assert created["delegation"]["role"] == "Working group lead"
    assert created["delegation"]["review_on"] == SOON
    listed = api_secretariat.get(f"{API}/").json()["results"]
    assert [g["name"] for g in listed] == ["Data governance"]
    changed = api_secretariat.patch(f"{API}/{created['id']}/", {"theme": "Open data"},
                                    format="json").json()
    assert (changed["theme"], changed["lead"]) == ("Open data", cast.home.expert.pk)


def test_bad_input_answers_400_with_the_reason_and_changes_nothing(cast, api_secretariat):
    proposed = ModelPolicyFactory(status=ModelPolicy.Status.PROPOSED)
    WorkingGroupFactory(region=cast.home.region, name="Energy")
    refused = api_secretariat.post(f"{API}/", {
        "name": "", "cadence": "weekly", "model_policy": proposed.pk,
        "lead": cast.foreign.expert.pk, "stage": "x"}, format="json")
    assert refused.status_code == 400
    errors = refused.json()
    assert set(errors) == {"stage"}  # unknown fields are refused first, by name
    refused = api_secretariat.post(f"{API}/", {
        "name": "", "cadence": "weekly", "model_policy": proposed.pk,
        "lead": cast.foreign.expert.pk}, format="json").json()
    assert set(refused) == {"name", "cadence", "model_policy", "lead"}
    taken = api_secretariat.post(f"{API}/", {"name": "energy"}, format="json")
    assert taken.status_code == 400 and "already has a group" in taken.json()["name"][0]
    past = api_secretariat.post(f"{API}/", {"name": "Water", "lead": cast.home.expert.pk,
                                            "lead_review_on": "2020-01-01"}, format="json")
    assert past.status_code == 400 and "review_on" in past.json()
    with scopes_disabled():
        assert WorkingGroup.objects.count() == 1 and not Delegation.objects.exists()


def test_the_lead_manages_their_groups_members_and_sessions_and_no_other(
        cast, api, api_secretariat):
    group = _with_lead(cast, api_secretariat)
    other = WorkingGroupFactory(region=cast.home.region, name="Energy")
    expert = ExpertFactory(region=cast.home.region, stage=Stage.ACTIVE)
    contact = ContactFactory(city=CityFactory(region=cast.home.region))
    api.force_authenticate(cast.home.expert)
    assert [g["id"] for g in api.get(f"{API}/").json()["results"]] == [group["id"]]
    base = f"{API}/{group['id']}"
    added = api.post(f"{base}/members/", {"expert": expert.pk}, format="json")
    assert added.status_code == 201 and added.json()["kind"] == "expert"
    assert api.post(f"{base}/members/", {"contact": contact.pk},
                    format="json").status_code == 201
    planned = api.post(f"{base}/sessions/", {"title": "Spring session",
                                             "starts_at": "2027-04-14T10:00",
                                             "location": "Online"}, format="json")
    assert planned.status_code == 201
    # Without an offset, the region's zone (Asia/Tokyo).
    assert planned.json()["starts_at"].startswith("2027-04-14T10:00:00+09:00")
    session_id = planned.json()["id"]
    assert api.patch(f"{base}/sessions/{session_id}/", {"location": "Kyoto"},
                     format="json").json()["location"] == "Kyoto"
    assert len(api.get(f"{base}/members/").json()["results"]) == 2
    # Another group of the region: 403; the group itself stays the secretariat's to edit.
    assert api.get(f"{API}/{other.pk}/").status_code == 403
    assert api.post(f"{API}/{other.pk}/members/", {"expert": expert.pk},
                    format="json").status_code == 403
    assert api.get(f"{API}/{other.pk}/sessions/").status_code == 403
    assert api.patch(f"{base}/", {"name": "Mine now"}, format="json").status_code == 403
    with scopes_disabled():
        assert not GroupMember.objects.filter(group=other).exists()
        member = GroupMember.objects.get(expert=expert)
    assert api.delete(f"{base}/members/{member.pk}/").status_code == 204
    assert api.delete(f"{base}/sessions/{session_id}/").status_code == 204
    with scopes_disabled():
        member.refresh_from_db()
        assert member.left_on is not None and not GroupSession.objects.exists()


def test_ending_the_delegation_ends_the_leads_api_access(cast, api, api_secretariat):
    group = _with_lead(cast, api_secretariat)
    api_secretariat.patch(f"{API}/{group['id']}/", {"lead": None}, format="json")
    api.force_authenticate(cast.home.expert)
    assert api.get(f"{API}/{group['id']}/").status_code == 403
    assert api.post(f"{API}/{group['id']}/sessions/", {
        "title": "x", "starts_at": "2027-04-14T10:00"}, format="json").status_code == 403
    assert api.get(f"{API}/").json()["results"] == []


def test_member_and_session_input_is_checked(cast, api_secretariat):
    group = WorkingGroupFactory(region=cast.home.region)
    candidate = ExpertFactory(region=cast.home.region)
    foreign = ExpertFactory(region=cast.foreign.region, stage=Stage.ACTIVE)
    base = f"{API}/{group.pk}"
    assert api_secretariat.post(f"{base}/members/", {}, format="json").status_code == 400
    not_working = api_secretariat.post(f"{base}/members/", {"expert": candidate.pk},
                                       format="json")
    assert not_working.status_code == 400 and "confirmed or active" in str(not_working.json())
    elsewhere = api_secretariat.post(f"{base}/members/", {"expert": foreign.pk}, format="json")
    assert elsewhere.status_code == 400 and "expert" in elsewhere.json()
    bad = api_secretariat.post(f"{base}/sessions/", {"title": "", "starts_at": "soon"},
                               format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"title", "starts_at"}
    with scopes_disabled():
        assert not GroupMember.objects.exists() and not GroupSession.objects.exists()


def test_another_regions_group_is_not_found(cast, api_secretariat):
    foreign = WorkingGroupFactory(region=cast.foreign.region)
    session = GroupSessionFactory(group=foreign)
    assert api_secretariat.get(f"{API}/{foreign.pk}/").status_code == 404
    assert api_secretariat.get(f"{API}/{foreign.pk}/sessions/").status_code == 404
    assert api_secretariat.delete(
        f"{API}/{foreign.pk}/sessions/{session.pk}/").status_code == 404
