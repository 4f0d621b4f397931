"""Key stakeholders beyond cities: recorded with their involvement and channel, followed from
identified to involved, and not approached before a Forum reviewer clears a national
government official or a Forum Partner (the gate holds in the service and the page; the API
in test_people_api.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest, AuditEntry, Role
from alliance.services import approvals
from experts import demo_people
from experts.models import Expert, Stakeholder, StakeholderKind, StakeholderStatus
from experts.services import stakeholders
from tests.experts.factories import StakeholderFactory
from tests.querycount import assert_flat_queries

Status = StakeholderStatus


def _url(cast, suffix=""):
    return f"/r/{cast.home.region.slug}/experts/stakeholders/{suffix}"


def _approve(cast, approval):
    with scope(region=approval.region):
        return approvals.decide(actor=cast.home.forum_reviewer, approval=approval,
                                decision=ApprovalRequest.State.APPROVED, comment="Cleared.")


def _status(stakeholder) -> str:
    return Stakeholder._base_manager.get(pk=stakeholder.pk).status


# -- the service --------------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [{"kind": StakeholderKind.FORUM_PARTNER},
                                    {"kind": StakeholderKind.GOVERNMENT_AGENCY,
                                     "is_national_government": True}])
def test_the_service_refuses_to_approach_before_the_clearance(cast, fields):
    stakeholder = StakeholderFactory(region=cast.home.region, name="Digital Agency", **fields)
    rs = cast.home.regional_secretariat
    with scope(region=cast.home.region), pytest.raises(InvalidTransition,
                                                        match="engagement clearance"):
        stakeholders.move_status(actor=rs, stakeholder=stakeholder, to=Status.APPROACHED)
    assert _status(stakeholder) == Status.IDENTIFIED
    with scope(region=cast.home.region):
        approval = stakeholders.request_clearance(actor=rs, stakeholder=stakeholder)
    assert approval.route_role == Role.FORUM_REVIEWER
    with scope(region=cast.home.region), pytest.raises(InvalidTransition):
        # Asked is not cleared.
        stakeholders.move_status(actor=rs, stakeholder=stakeholder, to=Status.APPROACHED)
    _approve(cast, approval)
    with scope(region=cast.home.region):
        stakeholders.move_status(actor=rs, stakeholder=stakeholder, to=Status.APPROACHED,
                                 note="Call with the director")
        stakeholders.move_status(actor=rs, stakeholder=stakeholder, to=Status.INVOLVED)
    assert _status(stakeholder) == Status.INVOLVED
    with scope(region=cast.home.region):
        moves = list(AuditEntry.objects.filter(action="experts.stakeholder.status_changed",
                                               object_id=stakeholder.pk)
                     .order_by("id").values_list("data", flat=True))
    assert [(m["old"], m["new"]) for m in moves] == [("identified", "approached"),
                                                     ("approached", "involved")]


def test_an_organization_is_approached_without_clearance(cast):
    stakeholder = StakeholderFactory(region=cast.home.region, kind=StakeholderKind.ORGANIZATION)
    with scope(region=cast.home.region):
        stakeholders.move_status(actor=cast.home.regional_secretariat, stakeholder=stakeholder,
                                 to=Status.APPROACHED)
        with pytest.raises(DomainError, match="needs no engagement clearance"):
            stakeholders.request_clearance(actor=cast.home.regional_secretariat,
                                           stakeholder=stakeholder)
    assert _status(stakeholder) == Status.APPROACHED


def test_it_refuses_a_move_the_statuses_do_not_allow(cast):
    stakeholder = StakeholderFactory(region=cast.home.region, kind=StakeholderKind.ORGANIZATION)
    with scope(region=cast.home.region), pytest.raises(InvalidTransition, match="cannot become"):
        stakeholders.move_status(actor=cast.home.regional_secretariat, stakeholder=stakeholder,
                                 to=Status.INVOLVED)
    assert _status(stakeholder) == Status.IDENTIFIED


def test_a_forum_reviewer_reads_but_does_not_change_stakeholders(cast):
    stakeholder = StakeholderFactory(region=cast.home.region, kind=StakeholderKind.ORGANIZATION)
    with scope(region=cast.home.region), pytest.raises(PermissionDenied):
        stakeholders.move_status(actor=cast.home.forum_reviewer, stakeholder=stakeholder,
                                 to=Status.APPROACHED)


def test_edits_are_audited_with_old_and_new_values(cast):
    stakeholder = StakeholderFactory(region=cast.home.region, name="Ministry", channel="")
    with scope(region=cast.home.region):
        stakeholders.update_stakeholder(actor=cast.home.regional_secretariat,
                                        stakeholder=stakeholder, channel="fellow",
                                        name="Ministry")
        entry = AuditEntry.objects.get(action="experts.stakeholder.updated")
    assert entry.data["channel"] == {"old": "", "new": "fellow"}
    assert "name" not in entry.data


# -- the pages ----------------------------------------------------------------------------------

def test_the_page_holds_the_gate_and_requests_clearance(cast, client_for):
    stakeholder = StakeholderFactory(region=cast.home.region, name="Partner Corp",
                                     kind=StakeholderKind.FORUM_PARTNER)
    client = client_for(cast.home.regional_secretariat)
    page = client.get(_url(cast, f"{stakeholder.pk}/"))
    assert "Request clearance" in page.content.decode()
    refused = client.post(_url(cast, f"{stakeholder.pk}/status/"), {"to": "approached"},
                          follow=True)
    assert "a Forum reviewer must clear the approach" in refused.content.decode()
    assert _status(stakeholder) == Status.IDENTIFIED

    client.post(_url(cast, f"{stakeholder.pk}/clearance/"))
    with scope(region=cast.home.region):
        approval = ApprovalRequest.objects.get(kind=stakeholders.STAKEHOLDER_CLEARANCE)
    assert approval.state == ApprovalRequest.State.PENDING
    assert "Request clearance" not in client.get(_url(cast, f"{stakeholder.pk}/")).content.decode()

    reviewer = client_for(cast.home.forum_reviewer)
    decision_page = reviewer.get(f"/r/{cast.home.region.slug}/approvals/{approval.pk}/")
    assert "Partner Corp" in decision_page.content.decode()
    across = client_for(cast.global_reviewer).get(f"/global/approvals/{approval.pk}/")
    assert "Partner Corp" in across.content.decode()
    _approve(cast, approval)

    client = client_for(cast.home.regional_secretariat)
    client.post(_url(cast, f"{stakeholder.pk}/status/"), {"to": "approached"})
    assert _status(stakeholder) == Status.APPROACHED


def test_the_secretariat_adds_a_stakeholder_with_its_involvement_and_channel(cast, client_for):
    client = client_for(cast.home.regional_secretariat)
    response = client.post(_url(cast, "new/"), {
        "name": "Ministry of Land", "kind": "government_agency", "is_national_government": "on",
        "involvement": "dissemination", "involvement_note": "Shares our news with prefectures",
        "channel": "engagement_officer", "contact_name": "Ms Sato",
        "contact_email": "sato@example.go.jp"})
    with scope(region=cast.home.region):
        stakeholder = Stakeholder.objects.get(name="Ministry of Land")
    assert response.status_code == 302
    assert stakeholder.needs_clearance
    assert stakeholder.channel == "engagement_officer"
    page = client.get(_url(cast, f"{stakeholder.pk}/")).content.decode()
    assert "Shares our news with prefectures" in page
    assert "Primary Engagement Officer" in page


def test_bad_input_shows_field_errors_and_saves_nothing(cast, client_for):
    client = client_for(cast.home.regional_secretariat)
    response = client.post(_url(cast, "new/"), {"name": "", "kind": "spaceship",
                                                "involvement": "expertise",
                                                "contact_email": "not-an-email"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"name", "kind", "contact_email"}
    with scope(region=cast.home.region):
        assert not Stakeholder.objects.exists()


def test_the_list_searches_and_filters(cast, client_for):
    region = cast.home.region
    StakeholderFactory(region=region, name="Digital Agency", kind="government_agency")
    StakeholderFactory(region=region, name="Partner Corp", kind="forum_partner",
                       status="approached")
    StakeholderFactory(region=region, name="City Network", kind="organization",
                       organization="Urban Lab")
    client = client_for(cast.home.forum_reviewer)

    def names(query):
        return client.get(_url(cast) + query).content.decode()

    assert "Partner Corp" in names("?kind=forum_partner")
    assert "Digital Agency" not in names("?kind=forum_partner")
    assert "Partner Corp" in names("?status=approached")
    assert "City Network" not in names("?status=approached")
    assert "City Network" in names("?q=urban+lab")
    assert "Digital Agency" not in names("?q=urban+lab")
    assert "No stakeholder matches" in names("?kind=bogus")


def test_city_contacts_and_experts_do_not_see_stakeholders(cast, client_for):
    for user in (cast.home.city_contact, cast.home.expert):
        assert client_for(user).get(_url(cast)).status_code == 403


def test_a_forum_reviewer_cannot_change_a_stakeholder_through_the_page(cast, client_for):
    stakeholder = StakeholderFactory(region=cast.home.region, kind="organization")
    client = client_for(cast.home.forum_reviewer)
    assert client.post(_url(cast, f"{stakeholder.pk}/status/"),
                       {"to": "approached"}).status_code == 403
    assert _status(stakeholder) == Status.IDENTIFIED


def test_another_regions_stakeholder_is_not_found(cast, client_for):
    foreign = StakeholderFactory(region=cast.foreign.region)
    client = client_for(cast.home.regional_secretariat)
    assert client.get(_url(cast, f"{foreign.pk}/")).status_code == 404
    assert client.post(_url(cast, f"{foreign.pk}/clearance/")).status_code == 404


def test_the_list_costs_the_same_with_more_rows(cast, client_for):
    region = cast.home.region
    client = client_for(cast.home.regional_secretariat)
    StakeholderFactory(region=region, owner=cast.home.regional_secretariat)
    client.get(_url(cast))  # the session is saved once, on the first request

    def grow():
        for _n in range(12):
            StakeholderFactory(region=region, kind="forum_partner",
                               owner=cast.home.regional_secretariat, channel="fellow")

    assert_flat_queries(lambda: client.get(_url(cast)), grow)


@pytest.mark.django_db
def test_the_demo_seeds_stakeholders_once_with_clearances_waiting():
    from alliance import demo
    from alliance.models import Region

    demo.seed()
    demo.seed()
    japan = Region.objects.get(slug="japan")
    with scope(region=japan):
        names = list(Stakeholder.objects.filter(region=japan).values_list("name", "status"))
        pending = ApprovalRequest.objects.filter(kind=stakeholders.STAKEHOLDER_CLEARANCE,
                                                 state=ApprovalRequest.State.PENDING).count()
        linked = Expert.objects.filter(region=japan, user__email=demo_people.DEMO_EXPERT)
        assert linked.count() == 1
    assert len(names) == len(set(names)) == len(demo_people.STAKEHOLDERS["japan"])
    assert ("Japan Smart City Association", "involved") in names
    assert pending == 2


def test_the_history_reads_the_moves_and_the_clearance_as_sentences(cast, client_for):
    stakeholder = StakeholderFactory(region=cast.home.region, name="Digital Agency",
                                     is_national_government=True)
    rs = cast.home.regional_secretariat
    with scope(region=cast.home.region):
        approval = stakeholders.request_clearance(actor=rs, stakeholder=stakeholder)
    _approve(cast, approval)
    with scope(region=cast.home.region):
        stakeholders.move_status(actor=rs, stakeholder=stakeholder, to=Status.APPROACHED)
    page = client_for(rs).get(_url(cast, f"{stakeholder.pk}/")).content.decode()
    assert "asked the Forum reviewers for engagement clearance to approach Digital Agency" in page
    assert "decided on engagement clearance for Digital Agency: Approved" in page
    assert "changed the status: Identified → Approached" in page
