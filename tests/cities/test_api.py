import pytest
from django_scopes import scope

from cities.models import City, Contact, Stage, StageChange
from tests.factories import (
    ApiTokenFactory,
    CityFactory,
    ContactFactory,
    CriterionFactory,
    CriterionScoreFactory,
    TagFactory,
)
from tests.querycount import assert_flat_queries

BASE = "/api/v1/regions/aurora"


@pytest.fixture
def secretariat(api_secretariat):
    """In these tests the secretariat works through the API."""
    return api_secretariat


def _city(cast, **kwargs):
    return CityFactory(region=cast.home.region, **kwargs)


def _names(response):
    return [row["name"] for row in response.json()["results"]]


def _stage_of(cast, city):
    with scope(region=cast.home.region):
        return City.objects.get(pk=city.pk).stage


# -- the table ---------------------------------------------------------------------------

def test_the_list_filters_like_the_table(cast, secretariat):
    tag = TagFactory(region=cast.home.region, name="coastal")
    _city(cast, name="Kobe", stage=Stage.SHORT_LIST).tags.add(tag)
    _city(cast, name="Kyoto", stage=Stage.SHORT_LIST)
    _city(cast, name="Lima", country="PE")
    assert _names(secretariat.get(f"{BASE}/cities/?stage=short_list&sort=name")) == [
        "Kobe", "Kyoto"]
    assert _names(secretariat.get(f"{BASE}/cities/?tag=coastal")) == ["Kobe"]
    assert _names(secretariat.get(f"{BASE}/cities/?country=PE")) == ["Lima"]
    assert _names(secretariat.get(f"{BASE}/cities/?q=kyo")) == ["Kyoto"]


def test_the_list_orders_by_priority_and_shows_it_read_only(cast, secretariat):
    low, high = _city(cast, name="Low"), _city(cast, name="High")
    CriterionScoreFactory(city=low, score=1)
    CriterionScoreFactory(city=high, score=3)
    rows = secretariat.get(f"{BASE}/cities/?sort=-priority").json()["results"]
    assert [(r["name"], round(r["priority"])) for r in rows] == [("High", 100), ("Low", 33)]
    secretariat.patch(f"{BASE}/cities/{low.pk}/", {"priority": 100}, format="json")
    assert round(secretariat.get(f"{BASE}/cities/{low.pk}/").json()["priority"]) == 33


def test_a_city_shows_its_country_as_an_iso_code_and_its_key_contact(cast, secretariat):
    city = _city(cast, name="Medellín", country="CO")
    key = ContactFactory(city=city, name="Ana", is_key=True)
    ContactFactory(city=city, name="Luis")
    body = secretariat.get(f"{BASE}/cities/{city.pk}/").json()
    assert body["country"] == "CO"
    assert body["key_contact"] == {"id": key.pk, "name": "Ana", "email": key.email}


def test_the_list_stays_flat_in_queries_as_cities_grow(cast, secretariat):
    def grow():
        for n in range(15):
            city = _city(cast, name=f"Grown {n}", owner=cast.home.regional_secretariat)
            city.tags.add(TagFactory(region=cast.home.region))
            ContactFactory(city=city, is_key=True)
            CriterionScoreFactory(city=city)

    def fetch():
        assert secretariat.get(f"{BASE}/cities/").status_code == 200

    _city(cast, name="Seed")
    fetch()  # the user's memberships are read once and then remembered
    assert_flat_queries(fetch, grow)


# -- create and edit ---------------------------------------------------------------------

def test_a_new_city_starts_on_the_long_list_with_its_tags(cast, secretariat):
    response = secretariat.post(f"{BASE}/cities/", {
        "name": "Sanda", "country": "jp", "population": 109000, "tags": ["hyogo", "pioneer"],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stage"], body["country"], body["tags"]) == ("long_list", "JP",
                                                              ["hyogo", "pioneer"])
    assert body["priority"] is None


def test_a_duplicate_is_refused_and_names_the_existing_city(cast, secretariat):
    existing = _city(cast, name="Mishima", country="JP")
    response = secretariat.post(f"{BASE}/cities/", {"name": " mishima ", "country": "JP",
                                                    "tags": ["new-tag"]}, format="json")
    assert response.status_code == 400
    assert response.json()["existing_city_id"] == existing.pk
    assert "already in this region" in response.json()["name"][0]
    with scope(region=cast.home.region):
        assert City.objects.filter(name__iexact="mishima").count() == 1
        assert not existing.region.cities.filter(tags__name="new-tag").exists()


def test_a_partial_update_changes_only_what_it_names(cast, secretariat):
    city = _city(cast, name="Sendai", notes="old", stage=Stage.CONTACTED)
    response = secretariat.patch(f"{BASE}/cities/{city.pk}/", {
        "notes": "Met the mayor.", "owner": cast.home.regional_secretariat.pk}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["notes"], body["owner"], body["name"], body["stage"]) == (
        "Met the mayor.", cast.home.regional_secretariat.pk, "Sendai", "contacted")


def test_an_update_that_sets_the_stage_is_refused_and_changes_nothing(cast, secretariat):
    city = _city(cast, name="Sendai", notes="old", stage=Stage.CONTACTED)
    response = secretariat.patch(f"{BASE}/cities/{city.pk}/", {
        "notes": "Met the mayor.", "stage": "member"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["stage"]
    with scope(region=cast.home.region):
        fresh = City.objects.get(pk=city.pk)
    assert (fresh.notes, fresh.stage) == ("old", Stage.CONTACTED)


def test_an_owner_from_another_region_is_refused(cast, secretariat):
    city = _city(cast)
    response = secretariat.patch(f"{BASE}/cities/{city.pk}/",
                                 {"owner": cast.foreign.regional_secretariat.pk}, format="json")
    assert response.status_code == 400 and "owner" in response.json()


# -- stage moves -------------------------------------------------------------------------

def test_a_move_records_who_and_why(cast, secretariat):
    city = _city(cast)
    response = secretariat.post(f"{BASE}/cities/{city.pk}/move/",
                                {"to": "short_list", "note": "Mayor keen"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "short_list"
    with scope(region=cast.home.region):
        change = StageChange.objects.get(city=city)
    assert (change.actor, change.note) == (cast.home.regional_secretariat, "Mayor keen")


def test_an_illegal_move_is_refused_with_a_clear_message_and_changes_nothing(cast, secretariat):
    city = _city(cast)
    response = secretariat.post(f"{BASE}/cities/{city.pk}/move/", {"to": "member"},
                                format="json")
    assert response.status_code == 400
    assert "cannot move to “Member”" in response.json()["stage"][0]
    assert _stage_of(cast, city) == Stage.LONG_LIST


def test_declining_without_a_reason_is_refused(cast, secretariat):
    city = _city(cast)
    response = secretariat.post(f"{BASE}/cities/{city.pk}/move/", {"to": "declined"},
                                format="json")
    assert response.status_code == 400 and "note" in response.json()


# -- bulk actions ------------------------------------------------------------------------

def test_a_bulk_move_changes_every_named_city(cast, secretariat):
    cities = [_city(cast) for _ in range(3)]
    response = secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": [c.pk for c in cities], "action": "move_stage", "value": "short_list",
    }, format="json")
    assert response.status_code == 200
    assert response.json() == {"city_ids": sorted(c.pk for c in cities)}
    assert {_stage_of(cast, c) for c in cities} == {Stage.SHORT_LIST}


def test_a_bulk_request_naming_another_regions_city_changes_nothing_and_says_why(
        cast, secretariat):
    mine = _city(cast)
    foreign = CityFactory(region=cast.foreign.region)
    response = secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": [mine.pk, foreign.pk], "action": "move_stage", "value": "short_list",
    }, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["cities"])
    assert "Nothing was changed" in message and str(foreign.pk) in message
    assert _stage_of(cast, mine) == Stage.LONG_LIST
    with scope(region=cast.foreign.region):
        assert City.objects.get(pk=foreign.pk).stage == Stage.LONG_LIST


def test_a_bulk_move_that_one_city_cannot_make_changes_none(cast, secretariat):
    ready, stuck = _city(cast, name="Ready"), _city(cast, name="Stuck", stage=Stage.MEMBER)
    response = secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": [ready.pk, stuck.pk], "action": "move_stage", "value": "short_list",
    }, format="json")
    assert response.status_code == 400 and "Stuck" in response.json()["stage"][0]
    assert _stage_of(cast, ready) == Stage.LONG_LIST


def test_bulk_assign_owner_and_tag(cast, secretariat):
    cities = [_city(cast) for _ in range(2)]
    ids = [c.pk for c in cities]
    owner = cast.home.regional_secretariat
    assert secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": ids, "action": "assign_owner", "value": str(owner.pk)},
        format="json").status_code == 200
    assert secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": ids, "action": "tag", "value": "coastal, hyogo"},
        format="json").status_code == 200
    rows = secretariat.get(f"{BASE}/cities/?owner={owner.pk}&tag=coastal").json()["results"]
    assert sorted(r["id"] for r in rows) == sorted(ids)
    assert {tuple(r["tags"]) for r in rows} == {("coastal", "hyogo")}


def test_bulk_assign_to_someone_outside_the_region_is_refused(cast, secretariat):
    city = _city(cast)
    response = secretariat.post(f"{BASE}/cities/bulk/", {
        "city_ids": [city.pk], "action": "assign_owner",
        "value": str(cast.foreign.regional_secretariat.pk)}, format="json")
    assert response.status_code == 400 and "value" in response.json()


# -- contacts ----------------------------------------------------------------------------

def test_a_city_has_one_key_contact(cast, secretariat):
    city = _city(cast)
    first = ContactFactory(city=city, name="First", is_key=True)
    response = secretariat.post(f"{BASE}/cities/{city.pk}/contacts/", {
        "name": "Second", "position": "mayor", "email": "mayor@city.example.org",
        "is_key": True}, format="json")
    assert response.status_code == 201, response.json()
    rows = secretariat.get(f"{BASE}/cities/{city.pk}/contacts/").json()["results"]
    assert [(r["name"], r["is_key"]) for r in rows] == [("Second", True), ("First", False)]
    response = secretariat.patch(f"{BASE}/cities/{city.pk}/contacts/{first.pk}/",
                                 {"is_key": True}, format="json")
    assert response.status_code == 200 and response.json()["is_key"] is True
    with scope(region=cast.home.region):
        assert list(Contact.objects.filter(city=city, is_key=True)) == [first]


def test_a_contact_is_reached_only_through_its_own_city(cast, secretariat):
    city, other = _city(cast), _city(cast)
    contact = ContactFactory(city=city)
    assert secretariat.get(f"{BASE}/cities/{other.pk}/contacts/{contact.pk}/").status_code == 404


# -- criteria and scores -----------------------------------------------------------------

def test_criteria_list_the_playbooks_three_and_the_regions_own(cast, secretariat):
    CriterionFactory(region=cast.home.region, name="Open data portal", weight=2)
    names = _names(secretariat.get(f"{BASE}/criteria/"))
    assert "Support from senior leadership" in names and "Open data portal" in names


def test_scores_are_put_and_the_priority_follows(cast, secretariat):
    city = _city(cast)
    heavy = CriterionFactory(region=cast.home.region, name="Heavy", weight=3)
    light = CriterionFactory(region=cast.home.region, name="Light", weight=1)
    response = secretariat.put(f"{BASE}/cities/{city.pk}/scores/", {"scores": [
        {"criterion": heavy.pk, "score": 3, "note": "Mayor on board"},
        {"criterion": light.pk, "score": 0},
    ]}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["priority"] == 75.0
    given = {row["criterion"]: (row["score"], row["note"]) for row in body["scores"]}
    assert given[heavy.pk] == (3, "Mayor on board") and given[light.pk] == (0, "")
    assert secretariat.get(f"{BASE}/cities/{city.pk}/").json()["priority"] == 75.0
    assert secretariat.get(f"{BASE}/cities/{city.pk}/scores/").json() == body


def test_a_score_out_of_range_or_for_another_regions_criterion_is_refused(cast, secretariat):
    city = _city(cast)
    mine = CriterionFactory(region=cast.home.region)
    theirs = CriterionFactory(region=cast.foreign.region)
    url = f"{BASE}/cities/{city.pk}/scores/"
    assert secretariat.put(url, {"scores": [{"criterion": mine.pk, "score": 4}]},
                           format="json").status_code == 400
    response = secretariat.put(url, {"scores": [{"criterion": theirs.pk, "score": 2}]},
                               format="json")
    assert response.status_code == 400 and "scores" in response.json()
    assert secretariat.get(url).json()["priority"] is None


def test_a_null_score_clears_it(cast, secretariat):
    score = CriterionScoreFactory(city=_city(cast))
    response = secretariat.put(f"{BASE}/cities/{score.city.pk}/scores/", {"scores": [
        {"criterion": score.criterion.pk, "score": None}]}, format="json")
    assert response.json()["priority"] is None


# -- who may ----------------------------------------------------------------------------

def test_a_personal_token_works(cast, api):
    _city(cast, name="Nara")
    _token, secret = ApiTokenFactory(user=cast.home.regional_secretariat)
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert _names(api.get(f"{BASE}/cities/")) == ["Nara"]


def test_another_regions_cities_answer_404_json(cast, secretariat):
    foreign = CityFactory(region=cast.foreign.region)
    contact = ContactFactory(city=foreign)
    for url in (f"{BASE}/cities/{foreign.pk}/", f"{BASE}/cities/{foreign.pk}/scores/",
                f"{BASE}/cities/{foreign.pk}/contacts/",
                f"{BASE}/cities/{foreign.pk}/contacts/{contact.pk}/",
                "/api/v1/regions/borealis/cities/"):
        response = secretariat.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")
    response = secretariat.post(f"{BASE}/cities/{foreign.pk}/move/", {"to": "short_list"},
                                format="json")
    assert response.status_code == 404
    with scope(region=cast.foreign.region):
        assert City.objects.get(pk=foreign.pk).stage == Stage.LONG_LIST


@pytest.mark.parametrize("role", ["expert", "city_contact"])
def test_experts_and_city_contacts_may_not_use_the_city_api(cast, api, role):
    city = _city(cast)
    api.force_authenticate(cast.home.by_role(role))
    assert api.get(f"{BASE}/cities/").status_code == 403
    assert api.get(f"{BASE}/criteria/").status_code == 403
    assert api.post(f"{BASE}/cities/{city.pk}/move/", {"to": "short_list"},
                    format="json").status_code == 403


def test_a_forum_reviewer_reads_but_does_not_write(cast, api):
    city = _city(cast)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{BASE}/cities/{city.pk}/").status_code == 200
    for response in (
        api.post(f"{BASE}/cities/{city.pk}/move/", {"to": "short_list"}, format="json"),
        api.post(f"{BASE}/cities/", {"name": "New", "country": "JP"}, format="json"),
        api.patch(f"{BASE}/cities/{city.pk}/", {"notes": "x"}, format="json"),
        api.post(f"{BASE}/cities/bulk/", {"city_ids": [city.pk], "action": "tag",
                                          "value": "x"}, format="json"),
        api.put(f"{BASE}/cities/{city.pk}/scores/", {"scores": []}, format="json"),
        api.post(f"{BASE}/cities/{city.pk}/contacts/", {"name": "X"}, format="json"),
    ):
        assert response.status_code == 403
    assert _stage_of(cast, city) == Stage.LONG_LIST


def test_anonymous_callers_are_refused(cast, api):
    assert api.get(f"{BASE}/cities/").status_code in (401, 403)
