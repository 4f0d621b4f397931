"""The city table (filters, search, sort, bulk actions) and the board by stage."""

import pytest
from django_scopes import scope

from cities.models import City, Stage, StageChange, Tier
from tests.factories import (
    CityFactory,
    ContactFactory,
    CriterionFactory,
    CriterionScoreFactory,
    TagFactory,
    UserFactory,
)
from tests.querycount import assert_flat_queries

BASE = "/r/aurora/cities"


def _city(cast, **kwargs):
    return CityFactory(region=cast.home.region, **kwargs)


def _scored(cast, score, **kwargs):
    """A city whose priority is score / 3 (one criterion of weight 1)."""
    city = _city(cast, **kwargs)
    CriterionScoreFactory(city=city, score=score)
    return city


def _stages(cast, *cities):
    with scope(region=cast.home.region):
        return [City.objects.get(pk=c.pk).stage for c in cities]


def _names_in(page: str, *names: str) -> list[str]:
    return [name for name in names if f">{name}</a>" in page]


def _table(client, query=""):
    response = client.get(f"{BASE}/{query}")
    assert response.status_code == 200
    return response.content.decode()


# The table

def test_the_table_shows_each_citys_facts(cast, secretariat):
    owner = cast.home.regional_secretariat
    city = _scored(cast, 2, name="Kobe", local_name="神戸", population=1_500_000,
                   tier=Tier.PIONEER, stage=Stage.SHORT_LIST, owner=owner)
    city.tags.add(TagFactory(region=cast.home.region, name="port"))
    ContactFactory(city=city, name="Aiko Tanaka", is_key=True)
    page = _table(secretariat)
    assert f'href="{BASE}/{city.pk}/"' in page
    for shown in ("神戸", "Japan", "1,500,000", "Pioneer", "Short list", str(owner), "66.7",
                  "port", "Aiko Tanaka", "1 city", "Select Kobe"):
        assert shown in page, shown


def test_a_city_without_scores_shows_no_priority(cast, secretariat):
    _city(cast, name="Unscored")
    assert "66.7" not in _table(secretariat) and "—" in _table(secretariat)


@pytest.mark.parametrize("query, expected", [
    ("?stage=short_list", ["Nara"]),
    ("?tier=observer", ["Otsu"]),
    ("?country=KR", ["Busan"]),
    ("?tag=heritage", ["Nara"]),
    ("?min_priority=50", ["Nara"]),
    ("?q=busan", ["Busan"]),
    ("?q=奈良", ["Nara"]),
    ("?q=Mayor Kim", ["Busan"]),
])
def test_filters_and_search_narrow_the_rows(cast, secretariat, query, expected):
    nara = _scored(cast, 3, name="Nara", local_name="奈良", stage=Stage.SHORT_LIST)
    nara.tags.add(TagFactory(region=cast.home.region, name="heritage"))
    _scored(cast, 1, name="Otsu", tier=Tier.OBSERVER)
    busan = _city(cast, name="Busan", country="KR")
    ContactFactory(city=busan, name="Mayor Kim")
    assert _names_in(_table(secretariat, query), "Nara", "Otsu", "Busan") == expected


def test_filtering_by_owner_shows_only_their_cities(cast, secretariat):
    owner = cast.home.regional_secretariat
    _city(cast, name="Owned", owner=owner)
    _city(cast, name="Unowned")
    page = _table(secretariat, f"?owner={owner.pk}")
    assert _names_in(page, "Owned", "Unowned") == ["Owned"]


def test_sorting_by_priority_puts_the_best_scored_city_first(cast, secretariat):
    _scored(cast, 1, name="Low")
    _scored(cast, 3, name="High")
    _city(cast, name="Aaa unscored")
    page = _table(secretariat, "?sort=-priority")
    assert page.index(">High<") < page.index(">Low<") < page.index(">Aaa unscored<")
    page = _table(secretariat, "?sort=name")
    assert page.index(">Aaa unscored<") < page.index(">High<") < page.index(">Low<")


def test_the_export_link_keeps_the_filters(cast, secretariat):
    page = _table(secretariat, "?stage=member&page=1")
    assert f'href="{BASE}/export/?stage=member"' in page


def test_the_table_paginates_by_50(cast, secretariat):
    CityFactory.create_batch(51, region=cast.home.region)
    page = _table(secretariat)
    assert "51 cities" in page and "Page 1 of 2" in page
    assert page.count('name="cities"') == 50


# Bulk actions

def _bulk(client, cities, action, query="", **fields):
    return client.post(f"{BASE}/bulk/", {"cities": [c.pk for c in cities], "action": action,
                                         "query": query, **fields}, follow=True)


def test_a_bulk_move_moves_every_ticked_city_and_keeps_the_filters(cast, secretariat):
    cities = [_city(cast) for _ in range(3)]
    untouched = _city(cast)
    response = _bulk(secretariat, cities, "move_stage", query="stage=long_list&page=2",
                     stage="short_list")
    assert response.redirect_chain[-1][0] == f"{BASE}/?stage=long_list"
    assert "3 cities changed." in response.content.decode()
    assert _stages(cast, *cities, untouched) == ["short_list"] * 3 + ["long_list"]


def test_a_bulk_assignment_gives_every_ticked_city_the_owner(cast, secretariat):
    cities = [_city(cast) for _ in range(2)]
    owner = cast.home.regional_secretariat
    _bulk(secretariat, cities, "assign_owner", owner=owner.pk)
    with scope(region=cast.home.region):
        assert [City.objects.get(pk=c.pk).owner for c in cities] == [owner, owner]


def test_bulk_tagging_adds_the_tags_to_every_ticked_city(cast, secretariat):
    cities = [_city(cast) for _ in range(2)]
    _bulk(secretariat, cities, "tag", tags="coastal, 2026 wave")
    with scope(region=cast.home.region):
        assert [sorted(City.objects.get(pk=c.pk).tags.values_list("name", flat=True))
                for c in cities] == [["2026 wave", "coastal"]] * 2


def test_a_bulk_request_naming_a_city_of_another_region_changes_nothing_and_says_why(
        cast, secretariat):
    mine = _city(cast)
    theirs = CityFactory(region=cast.foreign.region)
    response = _bulk(secretariat, [mine, theirs], "move_stage", stage="short_list")
    page = response.content.decode()
    assert f"Nothing was changed: cities {theirs.pk} are not in this region." in page
    assert _stages(cast, mine) == ["long_list"]
    with scope(region=cast.foreign.region):
        assert City.objects.get(pk=theirs.pk).stage == Stage.LONG_LIST


def test_one_illegal_move_in_a_batch_changes_nothing(cast, secretariat):
    fine = _city(cast, name="Fine")
    stuck = _city(cast, name="Stuck", stage=Stage.MEMBER)
    page = _bulk(secretariat, [fine, stuck], "move_stage", stage="short_list").content.decode()
    assert "Nothing was changed: Stuck: A city at “Member” cannot move to “Short list”" in page
    assert _stages(cast, fine, stuck) == ["long_list", "member"]
    with scope(region=cast.home.region):
        assert not StageChange.objects.exists()


def test_a_bulk_move_out_of_the_pipeline_needs_a_reason(cast, secretariat):
    city = _city(cast)
    page = _bulk(secretariat, [city], "move_stage", stage="declined").content.decode()
    assert "Say why the city moves to “Declined”." in page
    assert _stages(cast, city) == ["long_list"]
    _bulk(secretariat, [city], "move_stage", stage="declined", note="No budget this year")
    assert _stages(cast, city) == ["declined"]


def test_a_bulk_action_without_ticked_cities_says_so(cast, secretariat):
    page = _bulk(secretariat, [], "move_stage", stage="short_list").content.decode()
    assert "Tick at least one city." in page


# The board

def _board(client):
    response = client.get(f"{BASE}/board/")
    assert response.status_code == 200
    return response.content.decode()


def _column(page: str, stage: str) -> str:
    """The HTML of one board column."""
    start = page.index(f'data-stage="{stage}"')
    return page[start:page.index("</section>", start)]


def test_the_board_has_a_column_per_stage_with_its_cards_and_counts(cast, secretariat):
    _scored(cast, 3, name="Kyoto", stage=Stage.SHORT_LIST, tier=Tier.PIONEER,
            owner=cast.home.regional_secretariat)
    _city(cast, name="Sapporo")
    _city(cast, name="Sendai")
    page = _board(secretariat)
    assert page.index('data-stage="long_list"') < page.index('data-stage="short_list"') \
        < page.index('data-stage="member"') < page.index('data-stage="left"')
    long_list, short_list = _column(page, "long_list"), _column(page, "short_list")
    assert "2 cities" in long_list and "Sapporo" in long_list and "Sendai" in long_list
    assert "1 city" in short_list and "Kyoto" in short_list
    for fact in ("Japan", "Pioneer", "100.0", str(cast.home.regional_secretariat)):
        assert fact in short_list, fact


def test_a_card_offers_only_the_moves_its_stage_allows(cast, secretariat):
    city = _city(cast, name="Kochi", stage=Stage.SHORT_LIST)
    card = _column(_board(secretariat), "short_list")
    options = card[card.index(f'id="move-{city.pk}-to"'):card.index("</select>")]
    assert 'value="contacted"' in options and 'value="long_list"' not in options


def test_moving_a_card_through_its_form_moves_the_city_and_returns_to_the_board(
        cast, secretariat):
    city = _city(cast, name="Himeji")
    response = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "short_list", "note": ""},
                                follow=True)
    assert response.redirect_chain[-1][0] == f"{BASE}/board/"
    assert "Himeji moved to “Short list”." in response.content.decode()
    assert "Himeji" in _column(response.content.decode(), "short_list")
    with scope(region=cast.home.region):
        change = StageChange.objects.get(city=city)
    assert (change.from_stage, change.to_stage, change.actor) == (
        "long_list", "short_list", cast.home.regional_secretariat)


def test_it_refuses_a_move_back_to_long_list_with_a_clear_message(cast, secretariat):
    city = _city(cast, name="Kurashiki", stage=Stage.SHORT_LIST)
    page = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "long_list"},
                            follow=True).content.decode()
    assert ("A city at “Short list” cannot move to “Long list”. It can move to: Contacted, "
            "Paused, Declined.") in page
    assert _stages(cast, city) == ["short_list"]
    with scope(region=cast.home.region):
        assert not StageChange.objects.exists()


def test_a_move_to_paused_needs_a_reason(cast, secretariat):
    city = _city(cast, name="Toyama")
    page = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "paused"},
                            follow=True).content.decode()
    assert "Say why the city moves to “Paused”." in page
    secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "paused", "note": "Election year"})
    assert _stages(cast, city) == ["paused"]


def test_an_htmx_move_answers_with_the_board_and_the_news(cast, secretariat):
    city = _city(cast, name="Matsue")
    response = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "short_list"},
                                headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="board"' in page
    assert f'data-moved="{city.pk}"' in page
    assert 'hx-swap-oob="innerHTML:#board-message"' in page and "Matsue moved to" in page
    assert "Matsue" in _column(page, "short_list")


def test_a_refused_htmx_move_answers_422_with_the_unchanged_board_and_the_reason(
        cast, secretariat):
    city = _city(cast, name="Tottori", stage=Stage.SHORT_LIST)
    response = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "long_list"},
                                headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "cannot move to “Long list”" in page and "message-error" in page
    assert "Tottori" in _column(page, "short_list")
    assert _stages(cast, city) == ["short_list"]


# Who may

@pytest.mark.parametrize("role", ["expert", "city_contact"])
@pytest.mark.parametrize("url", ["/", "/board/"])
def test_experts_and_city_contacts_may_not_see_the_pipeline(cast, client, role, url):
    client.force_login(cast.home.by_role(role))
    assert client.get(f"{BASE}{url}").status_code == 403


def test_a_forum_reviewer_sees_the_board_but_cannot_move_or_change_cities(cast, client):
    city = _city(cast, name="Nagoya")
    client.force_login(cast.home.forum_reviewer)
    board = _board(client)
    assert "Nagoya" in board and "move-form" not in board and 'draggable="true"' not in board
    assert 'name="cities"' not in _table(client)
    assert client.post(f"{BASE}/move/{city.pk}/", {"to": "short_list"}).status_code == 403
    assert client.post(f"{BASE}/bulk/", {"cities": [city.pk], "action": "tag",
                                         "tags": "x"}).status_code == 403
    assert _stages(cast, city) == ["long_list"]


@pytest.mark.parametrize("url", ["/", "/board/"])
def test_another_regions_user_gets_not_found(cast, client, url):
    client.force_login(cast.foreign.regional_secretariat)
    assert client.get(f"{BASE}{url}").status_code == 404


def test_moving_another_regions_city_is_not_found_and_changes_nothing(cast, secretariat):
    theirs = CityFactory(region=cast.foreign.region)
    assert secretariat.post(f"{BASE}/move/{theirs.pk}/", {"to": "short_list"}
                            ).status_code == 404
    with scope(region=cast.foreign.region):
        assert City.objects.get(pk=theirs.pk).stage == Stage.LONG_LIST


# Query budgets

def _rich_cities(cast, count):
    """Cities with everything a row shows, each with its own owner, tag and key contact."""
    criterion = CriterionFactory(region=cast.home.region)
    for n in range(count):
        city = _city(cast, owner=UserFactory(), stage=list(Stage)[n % len(Stage)])
        city.tags.add(TagFactory(region=cast.home.region))
        ContactFactory(city=city, is_key=True)
        CriterionScoreFactory(city=city, criterion=criterion, score=n % 4)


@pytest.mark.parametrize("url", ["/", "/board/", "/?q=City&sort=name"])
def test_the_table_and_board_do_not_grow_their_queries_with_rows(cast, secretariat, url):
    _rich_cities(cast, 2)

    def fetch():
        assert secretariat.get(f"{BASE}{url}").status_code == 200

    fetch()  # warm the session and content-type caches
    assert_flat_queries(fetch, lambda: _rich_cities(cast, 20))


def test_a_refused_htmx_move_does_not_grow_its_queries_with_rows(cast, secretariat):
    _rich_cities(cast, 2)
    city = _city(cast, stage=Stage.SHORT_LIST)

    def refuse():
        response = secretariat.post(f"{BASE}/move/{city.pk}/", {"to": "long_list"},
                                    headers={"HX-Request": "true"})
        assert response.status_code == 422

    refuse()
    assert_flat_queries(refuse, lambda: _rich_cities(cast, 20))
