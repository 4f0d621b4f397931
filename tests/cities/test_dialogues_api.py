"""The dialogues' REST endpoints: the same rules as the pages, 400 with details, scoped."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from cities.models import Dialogue, Stage
from tests.events.factories import DialogueFactory, DialogueFollowUpFactory
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def base(region):
    return f"/api/v1/regions/{region.slug}"


def member_city(team, **kwargs):
    return CityFactory(region=team.region, stage=Stage.MEMBER, stage_changed_at=LONG_AGO,
                       **kwargs)


def test_logging_a_dialogue_with_follow_ups_through_the_api(cast, api_secretariat):
    home = cast.home
    city = member_city(home)
    response = api_secretariat.post(f"{base(home.region)}/dialogues/", {
        "city": city.pk, "held_on": "2026-01-15", "with_whom": "mayor", "channel": "visit",
        "summary": "Visited the mayor.",
        "follow_ups": [{"title": "Send the guide", "owner": home.regional_secretariat.pk,
                        "due_on": "2026-02-01"}]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["city_name"] == city.name
    assert [f["title"] for f in body["follow_ups"]] == ["Send the guide"]
    follow_up_id = body["follow_ups"][0]["id"]
    done = api_secretariat.patch(
        f"{base(home.region)}/dialogues/{body['id']}/follow-ups/{follow_up_id}/",
        {"done": True}, format="json")
    assert done.status_code == 200 and done.json()["done"] is True
    changed = api_secretariat.patch(f"{base(home.region)}/dialogues/{body['id']}/",
                                    {"summary": "Visited the mayor and the CIO."},
                                    format="json")
    assert changed.status_code == 200
    assert changed.json()["summary"] == "Visited the mayor and the CIO."


@pytest.mark.parametrize("change, field", [
    ({"held_on": "2999-01-01"}, "held_on"),
    ({"channel": "pigeon"}, "channel"),
    ({"summary": "   "}, "summary"),
    ({"stage": "member"}, "stage"),
    ({"follow_ups": [{"title": ""}]}, "follow_ups"),
])
def test_bad_input_answers_400_and_logs_nothing(cast, api_secretariat, change, field):
    city = member_city(cast.home)
    data = {"city": city.pk, "held_on": "2026-01-15", "summary": "Talked.", **change}
    response = api_secretariat.post(f"{base(cast.home.region)}/dialogues/", data,
                                    format="json")
    assert response.status_code == 400
    assert field in response.json() or field in str(response.json())
    with scopes_disabled():
        assert not Dialogue.objects.exists()


def test_another_region_s_city_and_dialogue_do_not_exist_here(cast, api_secretariat):
    foreign = DialogueFactory(city=member_city(cast.foreign))
    response = api_secretariat.post(f"{base(cast.home.region)}/dialogues/", {
        "city": foreign.city.pk, "held_on": "2026-01-15", "summary": "x"}, format="json")
    assert response.status_code == 400 and "city" in response.json()
    assert api_secretariat.get(
        f"{base(cast.home.region)}/dialogues/{foreign.pk}/").status_code == 404
    assert api_secretariat.get(
        f"{base(cast.home.region)}/dialogues/{foreign.pk}/follow-ups/").status_code == 404


def test_the_list_filters_and_refuses_bad_filters(cast, api_secretariat):
    home = cast.home
    kaga = member_city(home, name="Kaga")
    DialogueFactory(city=kaga, held_on=datetime.date(2025, 9, 5), channel="email")
    DialogueFactory(city=member_city(home), held_on=datetime.date(2025, 10, 5))
    rows = api_secretariat.get(f"{base(home.region)}/dialogues/?month=2025-09").json()
    assert [r["city_name"] for r in rows["results"]] == ["Kaga"]
    assert api_secretariat.get(
        f"{base(home.region)}/dialogues/?channel=email").json()["count"] == 1
    assert api_secretariat.get(
        f"{base(home.region)}/dialogues/?month=09-2025").status_code == 400
    assert api_secretariat.get(f"{base(home.region)}/dialogues/?city=x").status_code == 400


def test_the_coverage_endpoint_gives_months_per_city(cast, api_secretariat):
    home = cast.home
    city = member_city(home, name="Covered")
    today_there = datetime.datetime.now(ZoneInfo(home.region.time_zone)).date()
    DialogueFactory(city=city, held_on=today_there)
    body = api_secretariat.get(f"{base(home.region)}/dialogue-coverage/?months=12").json()
    assert body["count"] == 1 and len(body["months"]) == 12
    [row] = body["cities"]
    assert row["name"] == "Covered" and row["months"][-1]["state"] == "spoken"
    assert api_secretariat.get(
        f"{base(home.region)}/dialogue-coverage/?months=7").status_code == 400
    assert api_secretariat.get(
        f"{base(home.region)}/dialogue-coverage/?page=99").status_code == 400


def test_only_the_secretariat_reads_and_writes_dialogues(cast, api):
    dialogue = DialogueFactory(city=member_city(cast.home))
    DialogueFollowUpFactory(dialogue=dialogue)
    for person in (cast.home.forum_reviewer, cast.home.city_contact, cast.home.expert):
        api.force_authenticate(person)
        assert api.get(f"{base(cast.home.region)}/dialogues/").status_code == 403
        assert api.post(f"{base(cast.home.region)}/dialogues/", {}).status_code == 403
