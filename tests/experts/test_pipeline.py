"""The expert table and an expert's page: filters, creating and editing, stage moves (illegal
ones refused with the reason), the page's sections and its query budget."""

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from alliance.errors import InvalidTransition
from alliance.models import AuditEntry
from alliance.services.audit import describe
from assessments.models import Principle
from experts.models import Expert, ExpertStageChange, Sector, Stage
from experts.services import pipeline
from tests.experts.factories import (
    ExpertFactory,
    GroupMemberFactory,
    InterviewFactory,
    TermsAcceptanceFactory,
    WorkingGroupFactory,
)
from tests.querycount import assert_flat_queries

BASE = "/r/aurora/experts"


def _expert(cast, **kwargs):
    return ExpertFactory(region=cast.home.region, **kwargs)


def test_the_table_searches_by_name_and_organization(cast, secretariat):
    _expert(cast, name="Aiko Tanaka", organization="Keio University")
    _expert(cast, name="Kenji Watanabe", organization="Kansai Data Systems")
    page = secretariat.get(f"{BASE}/?q=keio").content.decode()
    assert "Aiko Tanaka" in page and "Kenji Watanabe" not in page
    page = secretariat.get(f"{BASE}/?q=kenji").content.decode()
    assert "Kenji Watanabe" in page and "Aiko Tanaka" not in page


def test_the_table_filters_by_stage_sector_partner_principle_and_owner(cast, secretariat):
    me = cast.home.regional_secretariat
    privacy = Principle.objects.get(key="privacy")
    mine = _expert(cast, name="Mine Vetted", stage=Stage.VETTED, sector=Sector.PRIVATE,
                   is_forum_partner=True, owner=me)
    mine.principles.set([privacy])
    _expert(cast, name="Other Candidate", stage=Stage.CANDIDATE, sector=Sector.ACADEMIC)
    for query in ("stage=vetted", "sector=private", "forum_partner=yes", "owner=mine",
                  f"principle={privacy.pk}"):
        page = secretariat.get(f"{BASE}/?{query}").content.decode()
        assert "Mine Vetted" in page, query
        assert "Other Candidate" not in page, query
    page = secretariat.get(f"{BASE}/?forum_partner=no").content.decode()
    assert "Other Candidate" in page and "Mine Vetted" not in page


def test_a_bad_filter_shows_its_error_over_no_rows(cast, secretariat):
    _expert(cast, name="Aiko Tanaka")
    response = secretariat.get(f"{BASE}/?stage=astronaut")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aiko Tanaka" not in page
    assert "Select a valid choice" in page


def test_the_table_sorts_by_a_column(cast, secretariat):
    _expert(cast, name="Beta", organization="Zeta Labs")
    _expert(cast, name="Alpha", organization="Yota Labs")
    page = secretariat.get(f"{BASE}/?sort=-name").content.decode()
    assert page.index("Beta") < page.index("Alpha")
    page = secretariat.get(f"{BASE}/?sort=organization").content.decode()
    assert page.index("Alpha") < page.index("Beta")


def test_the_table_pages_in_sql_and_costs_the_same_with_more_rows(cast, secretariat):
    def grow():
        for n in range(30):
            _expert(cast, name=f"Grown {n}", owner=cast.home.regional_secretariat)

    _expert(cast, name="First")
    secretariat.get(f"{BASE}/")  # the session's first save
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/"), grow)
    page = secretariat.get(f"{BASE}/").content.decode()
    assert "Page 1 of 2" in page


def test_a_new_expert_starts_as_candidate_and_is_audited(cast, secretariat):
    privacy = Principle.objects.get(key="privacy")
    response = secretariat.post(f"{BASE}/new/", {
        "kind": "individual", "name": "Aiko Tanaka", "organization": "Keio University",
        "sector": "academic", "email": "aiko@keio.example", "principles": [privacy.pk],
        "languages": "ja, en", "links": "https://keio.example/tanaka",
        "public_fields": ["organization"]})
    with scope(region=cast.home.region):
        expert = Expert.objects.get(name="Aiko Tanaka")
        assert expert.stage == Stage.CANDIDATE
        assert expert.languages == ["ja", "en"]
        assert list(expert.principles.all()) == [privacy]
        entry = AuditEntry.objects.get(action="experts.expert.created", object_id=expert.pk)
    assert response["Location"] == f"{BASE}/{expert.pk}/"
    assert "Candidate" in describe(entry)


def test_bad_input_on_the_expert_form_changes_nothing(cast, secretariat):
    response = secretariat.post(f"{BASE}/new/", {
        "kind": "individual", "name": "", "sector": "astronaut", "email": "not an email",
        "links": "javascript:alert(1)"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a web address" in page
    with scope(region=cast.home.region):
        assert not Expert.objects.exists()


def test_editing_an_expert_audits_what_changed(cast, secretariat):
    expert = _expert(cast, name="Aiko Tanaka", organization="Keio University")
    secretariat.post(f"{BASE}/{expert.pk}/edit/", {
        "kind": "individual", "name": "Aiko Tanaka", "organization": "Keio Research",
        "sector": "academic", "email": expert.email})
    expert.refresh_from_db()
    assert expert.organization == "Keio Research"
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="experts.expert.updated", object_id=expert.pk)
    assert entry.data["organization"] == {"old": "Keio University", "new": "Keio Research"}
    assert "organization" in describe(entry)


def test_changing_an_expert_s_topics_is_audited(cast):
    from tests.assessments.factories import principle

    expert = _expert(cast, name="Aiko Tanaka")
    privacy, security = principle("privacy"), principle("security")
    with scope(region=cast.home.region):
        pipeline.update_expert(actor=cast.home.regional_secretariat, expert=expert,
                               principles=[privacy])
        pipeline.update_expert(actor=cast.home.regional_secretariat, expert=expert,
                               principles=[privacy, security])
        pipeline.update_expert(actor=cast.home.regional_secretariat, expert=expert,
                               principles=[security, privacy])  # the same topics
        entries = list(AuditEntry.objects.filter(action="experts.expert.updated",
                                                 object_id=expert.pk).order_by("id"))
    assert len(entries) == 2
    assert entries[1].data["principles"] == {
        "old": str(privacy), "new": ", ".join(sorted([str(privacy), str(security)]))}


def test_a_forum_reviewer_reads_the_page_but_cannot_edit(cast, client_for):
    expert = _expert(cast, name="Aiko Tanaka")
    client = client_for(cast.home.forum_reviewer)
    page = client.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "Aiko Tanaka" in page and "Edit details" not in page
    assert '<span class="state state-candidate ">Candidate</span>' in page  # not escaped
    assert client.get(f"{BASE}/{expert.pk}/edit/").status_code == 403
    assert client.post(f"{BASE}/{expert.pk}/move/", {"to": "interviewed"}).status_code == 403


def test_a_city_contact_cannot_open_the_pipeline(cast, client_for):
    expert = _expert(cast)
    client = client_for(cast.home.city_contact)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/{expert.pk}/").status_code == 403


def test_the_stage_control_moves_and_records_who_and_why(cast, secretariat):
    expert = _expert(cast)
    secretariat.post(f"{BASE}/{expert.pk}/move/", {"to": "interviewed", "note": "Met at ICT"})
    expert.refresh_from_db()
    assert expert.stage == Stage.INTERVIEWED
    with scope(region=cast.home.region):
        change = ExpertStageChange.objects.get(expert=expert)
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.CANDIDATE, Stage.INTERVIEWED, cast.home.regional_secretariat)
    page = secretariat.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "Met at ICT" in page


def test_an_illegal_move_is_refused_with_the_moves_allowed(cast, secretariat):
    expert = _expert(cast)
    response = secretariat.post(f"{BASE}/{expert.pk}/move/", {"to": "active"}, follow=True)
    expert.refresh_from_db()
    assert expert.stage == Stage.CANDIDATE
    page = response.content.decode()
    assert "cannot move to" in page and "Interviewed" in page


def test_declining_needs_a_reason(cast, secretariat):
    expert = _expert(cast)
    response = secretariat.post(f"{BASE}/{expert.pk}/move/", {"to": "declined"}, follow=True)
    expert.refresh_from_db()
    assert expert.stage == Stage.CANDIDATE
    assert "Say why" in response.content.decode()
    secretariat.post(f"{BASE}/{expert.pk}/move/", {"to": "declined", "note": "No time"})
    expert.refresh_from_db()
    assert expert.stage == Stage.DECLINED


def test_inviting_is_not_a_stage_control_move(cast):
    expert = _expert(cast, stage=Stage.VETTED)
    with scope(region=cast.home.region), pytest.raises(InvalidTransition):
        pipeline.move_stage(actor=cast.home.regional_secretariat, expert=expert,
                            to=Stage.INVITED)


def test_the_services_refuse_a_person_without_the_right(cast):
    expert = _expert(cast)
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        pipeline.move_stage(actor=cast.home.forum_reviewer, expert=expert,
                            to=Stage.INTERVIEWED)


def test_the_page_shows_terms_groups_interviews_and_history(cast, secretariat):
    expert = _expert(cast, name="Aiko Tanaka")
    InterviewFactory(expert=expert, strengths="Privacy law")
    TermsAcceptanceFactory(expert=expert, region=cast.home.region)
    group = WorkingGroupFactory(region=cast.home.region, name="Open data group")
    GroupMemberFactory(group=group, expert=expert, region=cast.home.region)
    with scope(region=cast.home.region):
        pipeline.move_stage(actor=cast.home.regional_secretariat, expert=expert,
                            to=Stage.INTERVIEWED)
    page = secretariat.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "Open data group" in page
    assert "Terms of Reference accepted" in page and "No version accepted yet" not in page
    assert "No interview recorded yet" not in page
    assert "Moved from Candidate to Interviewed" in page


def test_the_page_costs_the_same_with_more_rows(cast, secretariat):
    expert = _expert(cast, name="Aiko Tanaka", organization="Shared Org",
                     declared_interests="Board of Nara")

    def grow():
        for _n in range(6):
            InterviewFactory(expert=expert, interviewer=cast.home.regional_secretariat)
            _expert(cast, organization="Shared Org")
            TermsAcceptanceFactory(expert=expert, region=cast.home.region)
            GroupMemberFactory(group=WorkingGroupFactory(region=cast.home.region),
                               expert=expert, region=cast.home.region)
            ExpertStageChange.objects.create(region=cast.home.region, expert=expert,
                                             from_stage="candidate", to_stage="interviewed",
                                             actor=cast.home.regional_secretariat)
            AuditEntry.objects.create(region=cast.home.region, action="experts.expert.updated",
                                      actor=cast.home.regional_secretariat,
                                      content_type_id=_content_type(Expert),
                                      object_id=expert.pk, data={"fields": "name"})

    secretariat.get(f"{BASE}/{expert.pk}/")  # the session's first save
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/{expert.pk}/"), grow)


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def test_the_expert_picker_finds_experts_by_organization(cast, secretariat):
    _expert(cast, name="Aiko Tanaka", organization="Keio University")
    _expert(cast, name="Kenji Watanabe", organization="Kansai Data")
    page = secretariat.get("/r/aurora/pick/experts/?q=keio").content.decode()
    assert "Aiko Tanaka" in page and "Kenji Watanabe" not in page


def test_the_dashboard_shows_experts_by_stage_and_vetting_waiting(cast, secretariat):
    from experts.services import vetting

    waiting = _expert(cast, stage=Stage.INTERVIEWED, sector=Sector.PRIVATE)
    _expert(cast, stage=Stage.INTERVIEWED)
    with scope(region=cast.home.region):
        vetting.request_vetting(actor=cast.home.regional_secretariat, expert=waiting)
    page = secretariat.get("/r/aurora/").content.decode()
    assert "experts-panel-heading" in page
    assert ('<a href="/r/aurora/experts/?stage=interviewed">Interviewed</a></th>'
            '<td class="number">2</td>') in page
    assert "1 expert's vetting or clearance requests wait for a Forum reviewer" in page


def test_the_demo_runs_twice_with_an_expert_at_each_step_and_a_vetting_waiting(db):
    from alliance.models import ApprovalRequest, Role
    from experts import demo
    from tests.factories import CityFactory, MembershipFactory, RegionFactory

    japan = RegionFactory(slug="japan", name="Japan", default_language="ja")
    secretariat = MembershipFactory(region=japan, role=Role.REGIONAL_SECRETARIAT).user
    MembershipFactory(region=japan, role=Role.FORUM_REVIEWER)
    CityFactory(region=japan, name="Maebashi")
    with scope(region=japan):
        demo.seed(japan, secretariat)
        demo.seed(japan, secretariat)
        experts = Expert.objects.filter(region=japan)
        assert experts.count() == len(demo.EXPERTS["japan"])
        assert {Stage.CANDIDATE, Stage.INTERVIEWED, Stage.VETTED, Stage.CONFIRMED,
                Stage.DECLINED} <= set(experts.values_list("stage", flat=True))
        waiting = ApprovalRequest.objects.get(kind="expert_vetting")
        assert waiting.state == ApprovalRequest.State.PENDING
        assert Expert.objects.get(pk=waiting.object_id).sector == Sector.PRIVATE


def test_a_vetted_forum_partner_page_with_every_gate_stays_in_budget(cast, secretariat):
    from tests.querycount import count_queries

    expert = _expert(cast, sector=Sector.PRIVATE, is_forum_partner=True, stage=Stage.VETTED,
                     organization="Kansai Data", declared_interests="Osaka")
    secretariat.get(f"{BASE}/{expert.pk}/")
    queries, sql = count_queries(lambda: secretariat.get(f"{BASE}/{expert.pk}/"))
    assert queries <= 15, sql
    page = secretariat.get(f"{BASE}/{expert.pk}/").content.decode()
    assert "A Forum reviewer must approve the vetting" in page
