"""The expert pipeline's API: experts (filters, create, update, move, invite with the vetting
gate, request vetting) and interviews, scoped to the region; bad input answers 400 with the
field's reason and changes nothing."""

from django_scopes import scope

from alliance.models import ApprovalRequest
from alliance.services import approvals
from experts.models import Expert, Interview, Sector, Stage
from tests.experts.factories import ExpertFactory, InterviewFactory

API = "/api/v1/regions/aurora"


def _expert(cast, **kwargs):
    return ExpertFactory(region=cast.home.region, **kwargs)


def test_the_list_filters_as_the_table_does(cast, api_secretariat):
    _expert(cast, name="Aiko Tanaka", organization="Keio", sector=Sector.ACADEMIC)
    _expert(cast, name="Kenji Watanabe", organization="Kansai Data", sector=Sector.PRIVATE,
            stage=Stage.INTERVIEWED)
    ExpertFactory(region=cast.foreign.region, name="Foreign Expert")
    names = [row["name"] for row in api_secretariat.get(f"{API}/experts/").json()["results"]]
    assert names == ["Aiko Tanaka", "Kenji Watanabe"]
    rows = api_secretariat.get(f"{API}/experts/?sector=private&q=kansai").json()["results"]
    assert [row["name"] for row in rows] == ["Kenji Watanabe"]
    assert rows[0]["needs_vetting_approval"] is True


def test_a_bad_filter_answers_400(cast, api_secretariat):
    response = api_secretariat.get(f"{API}/experts/?stage=astronaut")
    assert response.status_code == 400
    assert "stage" in response.json()


def test_create_and_update_an_expert(cast, api_secretariat):
    response = api_secretariat.post(f"{API}/experts/", {
        "name": "Aiko Tanaka", "sector": "academic", "principles": ["privacy"],
        "languages": ["ja", "en"], "links": ["https://keio.example"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "candidate" and body["principles"] == ["privacy"]
    response = api_secretariat.patch(f"{API}/experts/{body['id']}/",
                                     {"organization": "Keio University"}, format="json")
    assert response.status_code == 200
    assert response.json()["organization"] == "Keio University"


def test_bad_input_answers_400_and_changes_nothing(cast, api_secretariat):
    for data in ({"name": "X", "sector": "astronaut"}, {"sector": "academic"},
                 {"name": "X", "sector": "academic", "stage": "active"},
                 {"name": "X", "sector": "academic", "links": ["javascript:alert(1)"]},
                 {"name": "X", "sector": "academic", "principles": ["astrology"]},
                 {"name": "X", "sector": "academic", "owner": 10**30}):
        response = api_secretariat.post(f"{API}/experts/", data, format="json")
        assert response.status_code == 400, data
    with scope(region=cast.home.region):
        assert not Expert.objects.exists()


def test_move_refuses_an_illegal_move_with_the_reason(cast, api_secretariat):
    expert = _expert(cast)
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/move/", {"to": "active"},
                                    format="json")
    assert response.status_code == 400
    assert "cannot move to" in str(response.json())
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/move/",
                                    {"to": "interviewed"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "interviewed"


def test_invite_is_refused_before_the_approval_and_allowed_after(cast, api_secretariat):
    expert = _expert(cast, sector=Sector.PRIVATE, stage=Stage.INTERVIEWED)
    InterviewFactory(expert=expert)
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/move/", {"to": "vetted"},
                                    format="json")
    assert response.status_code == 400
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/request-vetting/")
    assert response.status_code == 201
    Expert._base_manager.filter(pk=expert.pk).update(stage=Stage.VETTED)
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/invite/")
    assert response.status_code == 400
    assert "Forum reviewer must approve" in str(response.json())
    with scope(region=cast.home.region):
        approval = ApprovalRequest.objects.get(pk=response_approval(cast, expert))
        approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                         decision=ApprovalRequest.State.APPROVED)
    response = api_secretariat.post(f"{API}/experts/{expert.pk}/invite/")
    assert response.status_code == 200
    assert response.json()["stage"] == "invited"


def response_approval(cast, expert):
    with scope(region=cast.home.region):
        return ApprovalRequest.objects.get(object_id=expert.pk, kind="expert_vetting").pk


def test_a_forum_reviewer_reads_but_cannot_write(cast, api):
    expert = _expert(cast)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{API}/experts/{expert.pk}/").status_code == 200
    assert api.post(f"{API}/experts/{expert.pk}/move/", {"to": "interviewed"},
                    format="json").status_code == 403
    assert api.post(f"{API}/experts/", {"name": "X", "sector": "academic"},
                    format="json").status_code == 403


def test_another_regions_expert_is_not_found(cast, api_secretariat):
    foreign = ExpertFactory(region=cast.foreign.region)
    assert api_secretariat.get(f"{API}/experts/{foreign.pk}/").status_code == 404
    assert api_secretariat.post(f"{API}/experts/{foreign.pk}/invite/").status_code == 404
    response = api_secretariat.post(f"{API}/interviews/", {
        "expert": foreign.pk, "held_on": "2026-11-20"}, format="json")
    assert response.status_code == 404


def test_record_an_interview_with_a_flag_and_its_note(cast, api_secretariat):
    expert = _expert(cast)
    response = api_secretariat.post(f"{API}/interviews/", {
        "expert": expert.pk, "held_on": "2026-11-20", "principles": ["equity"],
        "red_flags": {"policy": {"raised": True}}}, format="json")
    assert response.status_code == 400
    assert "red_flags" in response.json() or "flag_policy_note" in response.json()
    response = api_secretariat.post(f"{API}/interviews/", {
        "expert": expert.pk, "held_on": "2026-11-20", "principles": ["equity"],
        "red_flags": {"policy": {"raised": True, "note": "Mixed up the principles"}},
        "suitability": "undecided"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["raised_flags"] == ["policy"] and body["principles"] == ["equity"]
    expert.refresh_from_db()
    assert expert.stage == Stage.INTERVIEWED
    rows = api_secretariat.get(f"{API}/interviews/?expert={expert.pk}").json()["results"]
    assert [row["id"] for row in rows] == [body["id"]]
    assert api_secretariat.get(f"{API}/interviews/?expert=abc").status_code == 400


def test_update_an_interview(cast, api_secretariat):
    interview = InterviewFactory(expert=_expert(cast, stage=Stage.INTERVIEWED))
    response = api_secretariat.patch(f"{API}/interviews/{interview.pk}/", {
        "suitability": "suitable", "decision_note": "Strong on procurement"}, format="json")
    assert response.status_code == 200, response.json()
    with scope(region=cast.home.region):
        assert Interview.objects.get(pk=interview.pk).suitability == "suitable"
    response = api_secretariat.patch(f"{API}/interviews/{interview.pk}/", {
        "red_flags": {"astrology": {"raised": True, "note": "x"}}}, format="json")
    assert response.status_code == 400
