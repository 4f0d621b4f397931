"""Bad input to the cities pages and API: refused with a message that says what is wrong,
nothing changed, never a 500."""

import pytest
from django_scopes import scope
from rest_framework.test import APIClient

from cities.models import City, CriterionScore, Stage
from tests.factories import CityFactory, CriterionFactory, CriterionScoreFactory

API = "/api/v1/regions/aurora"
PAGES = "/r/aurora/cities"
HUGE_ID = 2**63


@pytest.fixture
def api(cast):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(cast.home.regional_secretariat)
    return client


@pytest.fixture
def page(cast, client_for):
    return client_for(cast.home.regional_secretariat)


def _city(cast, **kwargs):
    return CityFactory(region=cast.home.region, **kwargs)


def _stage(cast, city):
    with scope(region=cast.home.region):
        return City.objects.get(pk=city.pk).stage


# -- ids past the database's integers ----------------------------------------------------------

def test_an_id_of_2_to_the_63_in_an_api_bulk_action_is_a_400(cast, api):
    city = _city(cast)
    response = api.post(f"{API}/cities/bulk/", {"city_ids": [city.pk, HUGE_ID],
                                                "action": "move_stage", "value": "short_list"},
                        format="json")
    assert response.status_code == 400
    assert "city_ids" in response.json()
    assert _stage(cast, city) == Stage.LONG_LIST


def test_an_id_of_2_to_the_63_in_a_page_bulk_action_is_refused(cast, page):
    city = _city(cast)
    response = page.post(f"{PAGES}/bulk/", {"cities": [str(city.pk), str(HUGE_ID)],
                                            "action": "move_stage", "stage": "short_list"},
                         follow=True)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert _stage(cast, city) == Stage.LONG_LIST


def test_a_huge_criterion_id_in_a_scores_put_is_a_400(cast, api):
    city = _city(cast)
    response = api.put(f"{API}/cities/{city.pk}/scores/",
                       {"scores": [{"criterion": HUGE_ID, "score": 2}]}, format="json")
    assert response.status_code == 400


def test_a_huge_city_filter_on_letters_is_a_400(cast, api):
    response = api.get(f"{API}/letters/?city={HUGE_ID}")
    assert response.status_code == 400 and "city" in response.json()


# -- large numbers say they are too large ------------------------------------------------------

@pytest.mark.parametrize("population", [str(10**20), "1e20"])
def test_a_huge_population_on_the_page_is_too_large(cast, page, population):
    response = page.post(f"{PAGES}/new/", {"name": "Megalopolis", "country": "JP",
                                           "population": population, "tier": "tier_1"})
    assert response.status_code == 200
    errors = response.context["form"].errors["population"]
    assert errors == ["This number is too large: at most 2147483647."]


@pytest.mark.parametrize("population", [10**20, 1e20])
def test_a_huge_population_in_the_api_is_too_large(cast, api, population):
    response = api.post(f"{API}/cities/", {"name": "Megalopolis", "country": "JP",
                                           "population": population}, format="json")
    assert response.status_code == 400
    assert response.json()["population"] == ["This number is too large: at most 2147483647."]


def test_a_fractional_population_is_still_not_a_whole_number(cast, api):
    response = api.post(f"{API}/cities/", {"name": "Halfton", "country": "JP",
                                           "population": 1.5}, format="json")
    assert response.status_code == 400
    assert "too large" not in response.json()["population"][0]


# -- list filters --------------------------------------------------------------------------------

@pytest.mark.parametrize("query, field", [("stage=evil", "stage"), ("min_priority=abc",
                                                                     "min_priority"),
                                          ("sort=password", "sort"), ("q=" + "x" * 101, "q")])
def test_an_invalid_api_filter_is_a_400_naming_it(cast, api, query, field):
    _city(cast)
    response = api.get(f"{API}/cities/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_filter_for_a_country_with_no_city_is_an_empty_list_not_an_error(cast, api):
    _city(cast, country="JP")
    response = api.get(f"{API}/cities/?country=PE&tag=unused")
    assert response.status_code == 200 and response.json()["results"] == []


def test_an_over_long_page_search_shows_its_error_and_no_rows(cast, page):
    _city(cast, name="Kobe")
    response = page.get(f"{PAGES}/?q={'x' * 101}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "cannot be applied" in content
    assert "Ensure this value has at most 100 characters" in content
    assert "Kobe" not in content


def test_an_invalid_stage_filter_on_the_page_lists_nothing(cast, page):
    _city(cast, name="Kobe")
    response = page.get(f"{PAGES}/?stage=evil")
    assert "Kobe" not in response.content.decode()
    assert "evil is not one of the available choices" in response.content.decode()


def test_an_export_with_invalid_filters_goes_back_to_the_table(cast, page):
    _city(cast, name="Kobe")
    response = page.get(f"{PAGES}/export/?stage=evil")
    assert response.status_code == 302 and "stage=evil" in response["Location"]


# -- unknown fields ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [{"stage": "member"}, {"region": "borealis"}, {"id": 7},
                                   {"populaton": 5}])
def test_a_create_with_a_field_it_does_not_take_is_refused_by_name(cast, api, extra):
    response = api.post(f"{API}/cities/", {"name": "Kobe", "country": "JP", **extra},
                        format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(extra)
    with scope(region=cast.home.region):
        assert not City.objects.exists()


def test_a_contact_update_with_a_typo_is_refused(cast, api):
    city = _city(cast)
    response = api.post(f"{API}/cities/{city.pk}/contacts/", {"name": "Aiko", "emial": "a@b.c"},
                        format="json")
    assert response.status_code == 400 and list(response.json()) == ["emial"]


def test_a_bulk_action_with_an_unknown_field_is_refused(cast, api):
    city = _city(cast)
    response = api.post(f"{API}/cities/bulk/", {"city_ids": [city.pk], "action": "move_stage",
                                                "value": "short_list", "force": True},
                        format="json")
    assert response.status_code == 400 and list(response.json()) == ["force"]
    assert _stage(cast, city) == Stage.LONG_LIST


def test_a_duplicate_criterion_in_one_scores_put_is_refused(cast, api):
    city = _city(cast)
    criterion = CriterionFactory(region=cast.home.region)
    response = api.put(f"{API}/cities/{city.pk}/scores/", {"scores": [
        {"criterion": criterion.pk, "score": 1}, {"criterion": criterion.pk, "score": 3}]},
        format="json")
    assert response.status_code == 400 and "scores" in response.json()
    with scope(region=cast.home.region):
        assert not CriterionScore.objects.exists()


def test_an_unknown_field_inside_a_score_row_is_refused(cast, api):
    city = _city(cast)
    criterion = CriterionFactory(region=cast.home.region)
    response = api.put(f"{API}/cities/{city.pk}/scores/", {"scores": [
        {"criterion": criterion.pk, "score": 1, "weight": 9}]}, format="json")
    assert response.status_code == 400


# -- the scores form -------------------------------------------------------------------------

def _scores(cast, city):
    with scope(region=cast.home.region):
        return {s.criterion_id: (s.score, s.note)
                for s in CriterionScore.objects.filter(city_id=city.pk)}


def test_a_scores_form_missing_a_field_keeps_that_score(cast, page):
    city = _city(cast)
    kept, changed = (CriterionFactory(region=cast.home.region) for _ in range(2))
    CriterionScoreFactory(city=city, criterion=kept, score=3, note="Strong mayor")
    CriterionScoreFactory(city=city, criterion=changed, score=1)
    page.post(f"{PAGES}/{city.pk}/scores/", {f"score_{changed.pk}": "2"})
    assert _scores(cast, city) == {kept.pk: (3, "Strong mayor"), changed.pk: (2, "")}


def test_a_scores_form_with_no_score_at_all_changes_nothing(cast, page):
    city = _city(cast)
    criterion = CriterionFactory(region=cast.home.region)
    CriterionScoreFactory(city=city, criterion=criterion, score=3, note="Strong")
    response = page.post(f"{PAGES}/{city.pk}/scores/", {}, follow=True)
    assert "Scores saved" not in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    assert _scores(cast, city) == {criterion.pk: (3, "Strong")}


def test_a_score_without_its_note_keeps_the_note(cast, page):
    city = _city(cast)
    criterion = CriterionFactory(region=cast.home.region)
    CriterionScoreFactory(city=city, criterion=criterion, score=1, note="Pilots")
    page.post(f"{PAGES}/{city.pk}/scores/", {f"score_{criterion.pk}": "2"})
    assert _scores(cast, city) == {criterion.pk: (2, "Pilots")}


def test_the_empty_choice_still_clears_a_score(cast, page):
    city = _city(cast)
    criterion = CriterionFactory(region=cast.home.region)
    CriterionScoreFactory(city=city, criterion=criterion, score=1)
    page.post(f"{PAGES}/{city.pk}/scores/", {f"score_{criterion.pk}": "",
                                            f"note_{criterion.pk}": ""})
    assert _scores(cast, city) == {}


# -- the right before the form -----------------------------------------------------------------

@pytest.mark.parametrize("who", ["forum_reviewer", "city_contact"])
def test_a_reviewer_posting_a_criterion_gets_403_not_field_errors(cast, client_for, who):
    response = client_for(cast.home.by_role(who)).post(f"{PAGES}/criteria/", {"name": ""})
    assert response.status_code == 403


def test_a_reviewer_posting_to_the_city_edit_page_gets_403(cast, client_for):
    city = _city(cast)
    response = client_for(cast.home.forum_reviewer).post(f"{PAGES}/{city.pk}/edit/", {})
    assert response.status_code == 403
