"""Where a person lands, and what pages are called: a forum reviewer's work is the requests
waiting for their decision, so that is where they land; "Team" is the region's people."""

from alliance.models import Role
from tests.factories import ApprovalRequestFactory, MembershipFactory


def test_a_forum_reviewer_lands_on_the_requests_waiting_for_their_decision(cast, client):
    waiting = ApprovalRequestFactory(region=cast.home.region, route_role=Role.FORUM_REVIEWER)
    client.force_login(cast.home.forum_reviewer)
    landing = client.get("/")["Location"]
    assert landing == "/r/aurora/approvals/?state=pending"
    page = client.get(landing).content.decode()
    assert waiting.summary in page and "<h1>Approvals</h1>" in page


def test_a_cross_region_reviewer_lands_on_the_queue_of_all_regions(cast, client):
    client.force_login(cast.global_reviewer)
    assert client.get("/")["Location"] == "/global/approvals/?state=pending"


def test_a_reviewer_who_also_runs_a_secretariat_lands_on_the_dashboard(cast, client):
    MembershipFactory(user=cast.home.forum_reviewer, region=cast.home.region,
                      role=Role.REGIONAL_SECRETARIAT)
    client.force_login(cast.home.forum_reviewer)
    assert client.get("/")["Location"] == "/r/aurora/"


def test_the_global_dashboard_is_the_secretariats_only_for_the_secretariat(cast, client):
    client.force_login(cast.global_reviewer)
    page = client.get("/global/").content.decode()
    assert "<h1>Global dashboard</h1>" in page and "Global Secretariat dashboard" not in page


def test_the_regions_people_are_its_team(cast, client):
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/members/").content.decode()
    assert "<title>Team ·" in page and "<h1>Aurora team</h1>" in page
    assert '<a class="nav-link" href="/r/aurora/members/" aria-current="page">' in page
    assert "Members" not in page
