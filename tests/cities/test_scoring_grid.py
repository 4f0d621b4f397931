"""The scoring grid: the table's filtered cities by the region's criteria, scored cell by cell
(as the grid's script posts them) or a page at a time (without JavaScript), through the same
service as the city page and the API."""

import re

import pytest
from django_scopes import scope

from alliance.models import AuditEntry
from cities.models import City, Criterion, CriterionScore, Stage
from tests.factories import CityFactory, CriterionScoreFactory
from tests.querycount import assert_flat_queries

GRID = "/r/aurora/cities/scoring/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _criteria(cast):
    with scope(region=cast.home.region):
        return list(Criterion.objects.filter(region=cast.home.region))


def _scores(city):
    with scope(region=city.region):
        return {s.criterion.name: s.score for s in
                CriterionScore.objects.filter(city=city).select_related("criterion")}


def test_the_grid_lists_the_filtered_cities_by_the_regions_criteria(cast, secretariat):
    kobe = CityFactory(region=cast.home.region, name="Kobe", stage=Stage.SHORT_LIST)
    CityFactory(region=cast.home.region, name="Nara", stage=Stage.LONG_LIST)
    leadership = _criteria(cast)[0]
    CriterionScoreFactory(city=kobe, criterion=leadership, score=2)
    page = secretariat.get(GRID, {"stage": "short_list"}).content.decode()
    assert "Kobe" in page and "Nara" not in page
    assert f'name="score_{kobe.pk}_{leadership.pk}"' in page
    assert f'id="score-{kobe.pk}-{leadership.pk}" value="2"' in page
    assert "Support from senior leadership" in page and 'src="/static/js/scoring.js"' in page
    assert "?from=stage%3Dshort_list" in page


def test_it_shows_25_cities_a_page(cast, secretariat):
    CityFactory.create_batch(30, region=cast.home.region)
    first = secretariat.get(GRID, {"sort": "name"}).content.decode()
    assert first.count("<tr data-city=") == 25
    second = secretariat.get(GRID, {"sort": "name", "page": 2}).content.decode()
    assert second.count("<tr data-city=") == 5


def test_a_cell_saves_and_answers_the_rows_new_priority(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    leadership, enthusiasm, _projects = _criteria(cast)
    answer = secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": "3"}, **HTMX)
    assert answer.status_code == 200
    assert answer.json() == {"priorities": {str(city.pk): "100.0%"}}
    answer = secretariat.post(GRID, {f"score_{city.pk}_{enthusiasm.pk}": "0"}, **HTMX)
    assert answer.json() == {"priorities": {str(city.pk): "50.0%"}}
    assert _scores(city) == {leadership.name: 3, enthusiasm.name: 0}


def test_a_cell_keeps_the_note_written_on_the_city_page(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    leadership = _criteria(cast)[0]
    CriterionScoreFactory(city=city, criterion=leadership, score=1, note="Mayor keen")
    secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": "2"}, **HTMX)
    with scope(region=cast.home.region):
        score = CriterionScore.objects.get(city=city)
    assert (score.score, score.note) == (2, "Mayor keen")


def test_an_empty_cell_clears_the_score(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    leadership = _criteria(cast)[0]
    CriterionScoreFactory(city=city, criterion=leadership, score=1)
    answer = secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": ""}, **HTMX)
    assert answer.json() == {"priorities": {str(city.pk): "not scored"}}
    assert _scores(city) == {}


def test_the_grid_scores_through_the_service_and_its_audit(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    leadership = _criteria(cast)[0]
    secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": "2"}, **HTMX)
    with scope(region=cast.home.region):
        entry = AuditEntry.objects.get(action="cities.city.scored")
    assert entry.data["scores"] == {leadership.name: 2}
    assert entry.actor == cast.home.regional_secretariat


@pytest.mark.parametrize("value", ["4", "x", "-1", "12"])
def test_a_score_outside_0_to_3_is_refused_on_its_cell(cast, secretariat, value):
    city = CityFactory(region=cast.home.region)
    leadership = _criteria(cast)[0]
    answer = secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": value}, **HTMX)
    assert answer.status_code == 422
    assert answer.json() == {"error": "Scores run from 0 to 3."}
    assert _scores(city) == {}


def test_a_criterion_of_another_region_is_refused(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    foreign = CityFactory(region=cast.foreign.region)
    with scope(region=cast.foreign.region):
        criterion = Criterion.objects.filter(region=cast.foreign.region).first()
    answer = secretariat.post(GRID, {f"score_{city.pk}_{criterion.pk}": "2"}, **HTMX)
    assert answer.status_code == 422 and answer.json() == {"error": "Unknown criterion."}
    leadership = _criteria(cast)[0]
    assert secretariat.post(GRID, {f"score_{foreign.pk}_{leadership.pk}": "2"},
                            **HTMX).status_code == 404
    assert _scores(foreign) == {}


def test_without_javascript_the_page_is_saved_at_once(cast, secretariat):
    kobe = CityFactory(region=cast.home.region, name="Kobe")
    nara = CityFactory(region=cast.home.region, name="Nara")
    leadership, enthusiasm, _projects = _criteria(cast)
    CriterionScoreFactory(city=nara, criterion=leadership, score=1)
    response = secretariat.post(GRID, {
        f"score_{kobe.pk}_{leadership.pk}": "3", f"score_{kobe.pk}_{enthusiasm.pk}": "",
        f"score_{nara.pk}_{leadership.pk}": "1", f"score_{nara.pk}_{enthusiasm.pk}": "2",
        "query": "stage=long_list&page=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{GRID}?stage=long_list&page=1"
    assert _scores(kobe) == {leadership.name: 3}
    assert _scores(nara) == {leadership.name: 1, enthusiasm.name: 2}
    page = secretariat.get(response["Location"]).content.decode()
    assert "Scores saved for 2 cities." in page


def test_a_reviewer_sees_the_grid_without_inputs_and_cannot_post(cast, client):
    city = CityFactory(region=cast.home.region)
    leadership = _criteria(cast)[0]
    CriterionScoreFactory(city=city, criterion=leadership, score=2)
    client.force_login(cast.home.forum_reviewer)
    page = client.get(GRID).content.decode()
    assert city.name in page and "data-score-cell" not in page
    # The scores as text: the one given, a dash for the two criteria not scored yet.
    assert re.findall(r'<td class="score-cell">([^<]*)</td>', page) == ["2", "—", "—"]
    assert client.post(GRID, {f"score_{city.pk}_{leadership.pk}": "3"},
                       **HTMX).status_code == 403
    assert _scores(city) == {leadership.name: 2}


@pytest.mark.parametrize("role", ["city_contact", "expert"])
def test_other_roles_may_not_open_the_grid(cast, client, role):
    client.force_login(cast.home.by_role(role))
    assert client.get(GRID).status_code == 403


def test_the_grid_does_not_grow_its_queries(cast, secretariat):
    criteria = _criteria(cast)

    def grow():
        for city in CityFactory.create_batch(20, region=cast.home.region):
            for criterion in criteria:
                CriterionScoreFactory(city=city, criterion=criterion, score=2)

    CityFactory(region=cast.home.region)
    secretariat.get(GRID)
    assert_flat_queries(lambda: secretariat.get(GRID), grow, budget=12)


def test_a_cell_save_costs_the_same_for_any_city(cast, secretariat):
    leadership = _criteria(cast)[0]
    cities = iter(CityFactory.create_batch(3, region=cast.home.region))

    def save():
        city = next(cities)
        assert secretariat.post(GRID, {f"score_{city.pk}_{leadership.pk}": "2"},
                                **HTMX).status_code == 200

    save()
    # A write's own savepoint and its release count too, and the stored priority's update.
    assert_flat_queries(save, lambda: CityFactory.create_batch(50, region=cast.home.region),
                        budget=17)
    with scope(region=cast.home.region):
        assert City.objects.filter(scores__isnull=False).distinct().count() == 3
