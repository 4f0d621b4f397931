"""A city's priority is stored on the city (the table, board and grid sort a whole region by
it): every write to scores or weights keeps it equal to what the scores say."""

import random
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.db.models import OuterRef
from django_scopes import scope, scopes_disabled

from cities.models import City, Criterion, CriterionScore
from cities.services import merging, scoring
from cities.services.scoring import weighted_priority
from tests.concurrency import on_postgresql, race
from tests.factories import CityFactory, CriterionScoreFactory


def _criteria(region):
    with scope(region=region):
        return list(Criterion.objects.filter(region=region))


def _stored(city) -> float | None:
    with scope(region=city.region):
        return City.objects.get(pk=city.pk).priority


def _stored_and_fresh(region) -> list[tuple[int, float | None, float | None]]:
    """(city id, stored priority, priority computed now from the scores) of every city."""
    with scope(region=region):
        fresh = weighted_priority(CriterionScore.objects.filter(city=OuterRef("pk")))
        return list(City.objects.filter(region=region).annotate(fresh=fresh)
                    .values_list("pk", "priority", "fresh").order_by("pk"))


def _assert_stored_is_fresh(region) -> None:
    rows = _stored_and_fresh(region)
    stale = [(pk, stored, fresh) for pk, stored, fresh in rows
             if (stored is None) != (fresh is None)
             or (stored is not None and abs(stored - fresh) > 1e-9)]
    assert not stale, f"(city, stored, fresh) out of step: {stale}"


def _score(actor, city, scores: dict) -> None:
    with scope(region=city.region):
        scoring.score_city(actor=actor, city=city,
                           scores={c.pk: (value, "") for c, value in scores.items()})


def test_a_new_city_has_no_priority_until_scored(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    city = CityFactory(region=region)
    leadership, enthusiasm, _projects = _criteria(region)
    assert _stored(city) is None
    _score(rs, city, {leadership: 3, enthusiasm: 0})
    assert _stored(city) == 50.0
    _score(rs, city, {leadership: None, enthusiasm: None})
    assert _stored(city) is None


def test_a_new_weight_changes_every_scored_citys_priority(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership, enthusiasm, projects = _criteria(region)
    high, low = CityFactory.create_batch(2, region=region)
    unscored = CityFactory(region=region)
    _score(rs, high, {leadership: 3, projects: 3, enthusiasm: 0})
    _score(rs, low, {leadership: 0, projects: 3})
    with scope(region=region):
        scoring.set_weight(actor=rs, criterion=projects, weight=Decimal(2))
    # high: (3 + 0 + 3x2) / (3 + 3 + 3x2); low: (0 + 3x2) / (3 + 3x2)
    assert _stored(high) == 75.0
    assert round(_stored(low), 4) == round(600 / 9, 4)
    assert _stored(unscored) is None


def test_scores_weighing_nothing_give_no_priority(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership = _criteria(region)[0]
    city = CityFactory(region=region)
    _score(rs, city, {leadership: 2})
    with scope(region=region):
        scoring.set_weight(actor=rs, criterion=leadership, weight=Decimal(0))
    assert _stored(city) is None


def test_a_merge_gives_the_kept_city_the_priority_of_the_scores_it_takes(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership, enthusiasm, _projects = _criteria(region)
    keep, duplicate = CityFactory.create_batch(2, region=region)
    _score(rs, keep, {leadership: 3})
    _score(rs, duplicate, {leadership: 0, enthusiasm: 0})
    with scope(region=region):
        merging.merge_cities(actor=rs, keep=keep, duplicate=duplicate)
    # The kept city's own score stays; the one it lacked comes over: (3 + 0) / (3 + 3).
    assert _stored(keep) == 50.0


def test_a_deleted_criterion_takes_its_share_out_of_the_priorities(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership, enthusiasm, _projects = _criteria(region)
    city = CityFactory(region=region)
    _score(rs, city, {leadership: 3, enthusiasm: 0})
    with scopes_disabled():
        enthusiasm.delete()
    assert _stored(city) == 100.0


def test_the_stored_priority_follows_any_mix_of_writes(cast):
    """Random scores, clears, weights and merges, through the services the pages and the API
    use: after each, every city's stored priority is what its scores say."""
    region, rs = cast.home.region, cast.home.regional_secretariat
    criteria = _criteria(region)
    cities = CityFactory.create_batch(12, region=region)
    dice = random.Random(8)
    for _step in range(30):
        move = dice.choice(["score", "score", "weight", "merge"])
        if move == "score":
            city = dice.choice(cities)
            _score(rs, city, {c: dice.choice([None, 0, 1, 2, 3]) for c in
                              dice.sample(criteria, dice.randint(1, len(criteria)))})
        elif move == "weight":
            with scope(region=region):
                scoring.set_weight(actor=rs, criterion=dice.choice(criteria),
                                   weight=Decimal(dice.choice(["0", "0.5", "1", "2.25", "10"])))
        elif len(cities) > 2:
            keep, duplicate = dice.sample(cities, 2)
            cities.remove(duplicate)
            with scope(region=region):
                merging.merge_cities(actor=rs, keep=keep, duplicate=duplicate)
        _assert_stored_is_fresh(region)


def test_the_factory_keeps_the_priority_as_the_services_do(cast):
    city = CityFactory(region=cast.home.region)
    CriterionScoreFactory(city=city, score=3)
    assert _stored(city) == 100.0


def test_the_migration_fills_the_priority_of_cities_scored_before_it(cast):
    region = cast.home.region
    scored, unscored = CityFactory.create_batch(2, region=region)
    CriterionScoreFactory(city=scored, score=1)
    with scopes_disabled():
        City.objects.update(priority=None)
    import_module("cities.migrations.0005_city_priority").fill_priorities(apps, None)
    assert round(_stored(scored), 4) == round(100 / 3, 4)
    assert _stored(unscored) is None


@on_postgresql
def test_a_weight_changed_while_a_city_is_scored_counts_the_new_scores(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership, enthusiasm, _projects = _criteria(region)
    city = CityFactory(region=region)
    race(region,
         lambda: scoring.score_city(actor=rs, city=city,
                                    scores={leadership.pk: (3, ""), enthusiasm.pk: (0, "")}),
         lambda: scoring.set_weight(actor=rs, criterion=leadership, weight=Decimal(3)))
    assert _stored(city) == 75.0
    _assert_stored_is_fresh(region)


@on_postgresql
def test_a_city_scored_while_a_weight_changes_counts_the_new_weight(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    leadership, enthusiasm, _projects = _criteria(region)
    city = CityFactory(region=region)
    race(region,
         lambda: scoring.set_weight(actor=rs, criterion=leadership, weight=Decimal(3)),
         lambda: scoring.score_city(actor=rs, city=city,
                                    scores={leadership.pk: (3, ""), enthusiasm.pk: (0, "")}))
    assert _stored(city) == 75.0
