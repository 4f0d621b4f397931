import re

import pytest
from django_scopes import scope

from alliance.models import AuditEntry, Membership, Role
from cities.models import Stage
from tests.factories import ApprovalRequestFactory, CityFactory, MembershipFactory


def test_the_secretariat_sees_its_regions_members_only(cast, client):
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/members/").content.decode()
    assert cast.home.expert.email in page and cast.home.city_contact.email in page
    assert cast.foreign.expert.email not in page


@pytest.mark.parametrize("role", ["city_contact", "expert", "forum_reviewer"])
def test_other_roles_cannot_see_the_member_list(cast, client, role):
    client.force_login(cast.home.by_role(role))
    assert client.get("/r/aurora/members/").status_code == 403


def test_removing_a_member_takes_the_role_away_and_is_audited(cast, client):
    membership = Membership.objects.get(user=cast.home.expert, region=cast.home.region)
    client.force_login(cast.home.regional_secretariat)
    client.post(f"/r/aurora/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    client.force_login(cast.home.expert)
    assert client.get("/r/aurora/").status_code == 404
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/members/").content.decode()
    assert (f"{cast.home.regional_secretariat} removed {cast.home.expert.email}'s role Expert"
            in page.replace("&#x27;", "'"))


def test_the_last_secretariat_member_cannot_remove_itself(cast, client):
    own = Membership.objects.get(user=cast.home.regional_secretariat, region=cast.home.region)
    client.force_login(cast.home.regional_secretariat)
    page = client.post(f"/r/aurora/members/{own.pk}/remove/", follow=True).content.decode()
    assert "last secretariat member" in page
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_foreign_membership_cannot_be_removed(cast, client):
    foreign = Membership.objects.get(user=cast.foreign.expert)
    client.force_login(cast.home.regional_secretariat)
    assert client.post(f"/r/aurora/members/{foreign.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_changing_the_phase_is_saved_and_on_the_history(cast, client):
    client.force_login(cast.home.regional_secretariat)
    response = client.post("/r/aurora/members/", {"phase": "launch", "default_language": "ja",
                                                  "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    cast.home.region.refresh_from_db()
    assert cast.home.region.phase == "launch"
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="alliance.region.changed")
    assert entry.data["phase"] == {"old": "preparation", "new": "launch"}
    assert entry.actor == cast.home.regional_secretariat


def test_a_bad_time_zone_is_a_field_error_and_changes_nothing(cast, client):
    client.force_login(cast.home.regional_secretariat)
    response = client.post("/r/aurora/members/", {"phase": "launch", "default_language": "en",
                                                  "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert b"Not a time zone name" in response.content
    cast.home.region.refresh_from_db()
    assert cast.home.region.phase == "preparation"


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_the_global_dashboard_compares_regions_by_team_cities_and_member_cities(cast, client):
    CityFactory.create_batch(2, region=cast.home.region)
    CityFactory(region=cast.home.region, stage=Stage.MEMBER)
    ApprovalRequestFactory(region=cast.foreign.region)
    client.force_login(cast.global_secretariat)
    page = client.get("/global/").content.decode()
    table = page.split('id="regions-heading"', 1)[1].split("</table>", 1)[0]
    header, *rows = re.findall(r"<tr>.*?</tr>", table, re.S)
    # "Members" would be ambiguous here: the team is people, member cities are cities.
    assert _cells(header) == ["Region", "Playbook phase", "Team", "Cities", "Member cities",
                              "Pending approvals"]
    assert [_cells(row) for row in rows] == [
        ["Aurora", "Preparation", "4", "3", "1", "0"],
        ["Borealis", "Preparation", "4", "0", "0", "1"]]


def test_a_member_holding_a_global_role_is_not_listed_as_regional(cast, client):
    MembershipFactory(user=cast.outsider, region=None, role=Role.FORUM_REVIEWER)
    client.force_login(cast.home.regional_secretariat)
    assert cast.outsider.email not in client.get("/r/aurora/members/").content.decode()
