"""The city table (filters, pickers, sorting, page size, saved views, bulk actions) and the
board by stage (first cards per column, show more, moves)."""

import itertools
import re

import pytest
from django_scopes import scope

from cities import queries
from cities.models import City, SavedView, Stage, StageChange, Tier
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
_serial = itertools.count()


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
    """The names that show as city links, in the order they show."""
    shown = re.findall(r'<a href="[^"]*/cities/\d+/[^"]*">([^<]+)</a>', page)
    return [name for name in shown if name in names]


def _table(client, query=""):
    response = client.get(f"{BASE}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _tick_box(page: str, city) -> str:
    return re.search(rf'<input[^>]*name="cities" value="{city.pk}"[^>]*>', page).group()


# The table

def test_the_table_shows_each_citys_facts(cast, secretariat):
    owner = cast.home.regional_secretariat
    city = _scored(cast, 2, name="Kobe", local_name="神戸", population=1_500_000,
                   tier=Tier.PIONEER, stage=Stage.SHORT_LIST, owner=owner)
    city.tags.add(TagFactory(region=cast.home.region, name="port"))
    ContactFactory(city=city, name="Aiko Tanaka", is_key=True)
    page = _table(secretariat)
    assert f'href="{BASE}/{city.pk}/?from="' in page
    for shown in ("神戸", "Japan", "1,500,000", "Pioneer", "Short list", str(owner), "66.7",
                  "port", "Aiko Tanaka", "1 city", "Select Kobe"):
        assert shown in page, shown


def test_a_city_without_scores_shows_no_priority(cast, secretariat):
    _city(cast, name="Unscored")
    page = _table(secretariat)
    assert "66.7" not in page and "—" in page


def test_the_table_and_board_carry_no_inline_style(cast, secretariat):
    """The portal's CSP refuses inline styles: the browser would log a violation for each."""
    _scored(cast, 1, name="Styled", owner=cast.home.regional_secretariat)
    for url in ("/", "/board/"):
        page = secretariat.get(f"{BASE}{url}").content.decode()
        assert " style=" not in page and "<script>" not in page


@pytest.fixture
def three_cities(cast):
    nara = _scored(cast, 3, name="Nara", local_name="奈良", stage=Stage.SHORT_LIST,
                   owner=cast.home.regional_secretariat)
    heritage = TagFactory(region=cast.home.region, name="heritage")
    nara.tags.add(heritage)
    _scored(cast, 1, name="Otsu", tier=Tier.OBSERVER)
    busan = _city(cast, name="Busan", country="KR")
    ContactFactory(city=busan, name="Mayor Kim")
    return heritage


@pytest.mark.parametrize("query, expected", [
    ("?stage=short_list", ["Nara"]),
    ("?tier=observer", ["Otsu"]),
    ("?country=KR", ["Busan"]),
    ("?tag=heritage", ["Nara"]),
    ("?tag_text=heritage", ["Nara"]),
    ("?tag=unused", []),
    ("?min_priority=50", ["Nara"]),
    ("?q=busan", ["Busan"]),
    ("?q=奈良", ["Nara"]),
    ("?q=Mayor Kim", ["Busan"]),
])
def test_filters_and_search_narrow_the_rows(cast, secretariat, three_cities, query, expected):
    assert _names_in(_table(secretariat, query), "Nara", "Otsu", "Busan") == expected


def test_the_tag_filter_takes_the_id_the_picker_sends(cast, secretariat, three_cities):
    tag = three_cities
    page = _table(secretariat, f"?tag={tag.pk}&tag_text=heritage")
    assert _names_in(page, "Nara", "Otsu", "Busan") == ["Nara"]
    assert 'value="heritage"' in page  # the picker shows the chosen tag's name


def test_the_owner_filter_takes_the_picked_id_or_the_typed_name(cast, secretariat, three_cities):
    owner = cast.home.regional_secretariat
    for query in (f"?owner={owner.pk}", f"?owner_text={owner.full_name}"):
        assert _names_in(_table(secretariat, query), "Nara", "Otsu", "Busan") == ["Nara"]


def test_an_owner_nobody_is_called_lists_nothing_and_says_why(cast, secretariat, three_cities):
    page = _table(secretariat, "?owner_text=Nobody+Here")
    assert _names_in(page, "Nara", "Otsu", "Busan") == []
    assert "Nothing here is called “Nobody Here”" in page and "cannot be applied" in page


def test_no_filter_renders_a_list_that_grows_with_the_region(cast, secretariat):
    """Tags and owners are pickers: a region with many of them adds no options."""
    for n in range(30):
        TagFactory(region=cast.home.region, name=f"many-{n}")
    page = _table(secretariat)
    assert "many-" not in page and 'data-picker-source="/r/aurora/pick/owners/"' in page
    assert 'data-picker-source="/r/aurora/pick/tags/"' in page


def test_the_filter_bar_is_open_only_when_filters_are_set(cast, secretariat):
    assert '<details class="filter-panel">' in _table(secretariat)
    assert '<details class="filter-panel" open>' in _table(secretariat, "?stage=member")
    # Sorting and the page size are not filters.
    assert '<details class="filter-panel">' in _table(secretariat, "?sort=name&per_page=50")


def _heading_link(page: str, label: str) -> tuple[str, str]:
    """(aria-sort or "", href) of a column heading."""
    th = re.search(rf'<th scope="col"( aria-sort="(\w+)")?[^>]*><a class="sort-link" '
                   rf'href="([^"]+)">{label}<', page)
    return th.group(2) or "", th.group(3).replace("&amp;", "&")


def test_a_column_heading_sorts_by_its_column_both_ways_and_keeps_the_filters(
        cast, secretariat):
    for name in ("Beta", "Alpha", "Gamma"):
        _city(cast, name=name)
    _city(cast, name="Delta", stage=Stage.MEMBER)
    page = _table(secretariat, "?stage=long_list&page=1")
    state, link = _heading_link(page, "Name")
    assert state == "" and link == f"{BASE}/?stage=long_list&sort=name"

    page = _table(secretariat, link.removeprefix(f"{BASE}/"))
    assert _names_in(page, "Alpha", "Beta", "Gamma", "Delta") == ["Alpha", "Beta", "Gamma"]
    state, link = _heading_link(page, "Name")
    assert state == "ascending" and link.endswith("sort=-name")

    page = _table(secretariat, link.removeprefix(f"{BASE}/"))
    assert _names_in(page, "Alpha", "Beta", "Gamma") == ["Gamma", "Beta", "Alpha"]
    assert _heading_link(page, "Name")[0] == "descending"


def test_numbers_sort_largest_first_on_the_first_click(cast, secretariat):
    _scored(cast, 1, name="Low")
    _scored(cast, 3, name="High")
    _city(cast, name="Aaa unscored")
    page = _table(secretariat)
    assert _heading_link(page, "Priority") == ("descending", f"{BASE}/?sort=priority")
    assert _heading_link(page, "Population")[1] == f"{BASE}/?sort=-population"
    assert _names_in(page, "Low", "High", "Aaa unscored") == ["High", "Low", "Aaa unscored"]
    # Ascending, the unscored city still comes last.
    assert _names_in(_table(secretariat, "?sort=priority"), "Low", "High", "Aaa unscored") == [
        "Low", "High", "Aaa unscored"]


def test_stages_sort_in_pipeline_order_and_countries_by_name(cast, secretariat):
    _city(cast, name="Member city", stage=Stage.MEMBER, country="CH")
    _city(cast, name="Contacted city", stage=Stage.CONTACTED, country="CN")
    _city(cast, name="Long list city", stage=Stage.LONG_LIST, country="AR")
    names = ("Member city", "Contacted city", "Long list city")
    assert _names_in(_table(secretariat, "?sort=stage"), *names) == [
        "Long list city", "Contacted city", "Member city"]
    # Argentina, China, Switzerland: by name, not by code (CH before CN).
    assert _names_in(_table(secretariat, "?sort=country"), *names) == [
        "Long list city", "Contacted city", "Member city"]


def test_the_export_link_keeps_the_filters(cast, secretariat):
    page = _table(secretariat, "?stage=member&page=1")
    assert f'href="{BASE}/export/?stage=member"' in page


def test_the_table_shows_25_rows_a_page_or_the_size_asked_for(cast, secretariat):
    CityFactory.create_batch(51, region=cast.home.region)
    page = _table(secretariat)
    assert "51 cities" in page and "Page 1 of 3" in page
    assert page.count('name="cities"') == 25
    page = _table(secretariat, "?stage=long_list&per_page=50")
    assert page.count('name="cities"') == 50 and "Page 1 of 2" in page
    # The next page and a heading's sort keep the size; an unknown size is the default.
    assert "?stage=long_list&amp;per_page=50&amp;page=2" in page
    assert f'href="{BASE}/?stage=long_list&amp;per_page=50&amp;sort=name"' in page
    assert _table(secretariat, "?per_page=7").count('name="cities"') == 25


# Saved views

def _save_view(client, name, query):
    return client.post(f"{BASE}/views/", {"name": name, "query": query}, follow=True)


def test_a_person_saves_the_filters_under_a_name_and_finds_them_above_the_table(
        cast, secretariat):
    response = _save_view(secretariat, "Brazil, not contacted",
                          "country=BR&stage=short_list&page=3&junk=1")
    assert response.redirect_chain[-1][0] == f"{BASE}/?stage=short_list&country=BR"
    page = response.content.decode()
    assert "Saved the view “Brazil, not contacted”." in page
    # Its link is the table's URL: anyone in the region who opens it sees the same rows.
    assert (f'<a class="pill" href="{BASE}/?stage=short_list&amp;country=BR" '
            f'aria-current="page">Brazil, not contacted</a>') in page
    assert 'aria-current="page">Brazil' not in _table(secretariat)


def test_saving_under_a_name_already_used_replaces_the_views_filters(cast, secretariat):
    _save_view(secretariat, "Mine", "stage=member")
    _save_view(secretariat, "Mine", "stage=paused")
    with scope(region=cast.home.region):
        assert list(SavedView.objects.values_list("name", "query")) == [("Mine", "stage=paused")]


def test_a_view_needs_a_name(cast, secretariat):
    page = _save_view(secretariat, "  ", "stage=member").content.decode()
    assert "This field is required." in page or "Give the view a name." in page
    with scope(region=cast.home.region):
        assert not SavedView.objects.exists()


def test_saved_views_are_each_persons_own(cast, secretariat, client_for):
    region = cast.home.region
    SavedView.objects.create(region=region, user=cast.home.forum_reviewer, name="Reviewer's",
                             query="stage=member")
    SavedView.objects.create(region=cast.foreign.region, user=cast.home.regional_secretariat,
                             name="Elsewhere", query="stage=member")
    page = _table(secretariat)
    assert "Reviewer&#x27;s" not in page and "Elsewhere" not in page
    assert "Reviewer&#x27;s" in _table(client_for(cast.home.forum_reviewer))


def test_a_person_deletes_a_saved_view(cast, secretariat):
    view = SavedView.objects.create(region=cast.home.region, user=cast.home.regional_secretariat,
                                    name="Old", query="stage=member")
    response = secretariat.post(f"{BASE}/views/{view.pk}/delete/", {"query": "stage=left"},
                                follow=True)
    assert response.redirect_chain[-1][0] == f"{BASE}/?stage=left"
    assert "Deleted the view “Old”." in response.content.decode()
    with scope(region=cast.home.region):
        assert not SavedView.objects.exists()


def test_another_persons_or_regions_view_cannot_be_deleted(cast, secretariat):
    theirs = SavedView.objects.create(region=cast.home.region, user=cast.home.forum_reviewer,
                                      name="Theirs", query="")
    elsewhere = SavedView.objects.create(region=cast.foreign.region,
                                         user=cast.foreign.regional_secretariat, name="Far",
                                         query="")
    assert secretariat.post(f"{BASE}/views/{theirs.pk}/delete/").status_code == 404
    assert secretariat.post(f"{BASE}/views/{elsewhere.pk}/delete/").status_code == 404
    assert secretariat.post(
        f"/r/borealis/cities/views/{elsewhere.pk}/delete/").status_code == 404
    assert secretariat.post("/r/borealis/cities/views/", {"name": "x"}).status_code == 404
    with scope(region=cast.home.region):
        assert SavedView.objects.filter(pk=theirs.pk).exists()
    with scope(region=cast.foreign.region):
        assert SavedView.objects.filter(pk=elsewhere.pk).exists()


# Bulk actions

def _bulk(client, cities, action, query="", **fields):
    return client.post(f"{BASE}/bulk/", {"cities": [c.pk for c in cities], "action": action,
                                         "query": query, **fields}, follow=True)


def test_the_bulk_panel_says_which_action_reads_each_field(cast, secretariat):
    page = _table(secretariat)
    for action, field in (("move_stage", "bulk_stage"), ("move_stage", "bulk_note"),
                          ("assign_owner", "bulk_owner"), ("tag", "bulk_tags")):
        assert re.search(rf'data-bulk-action="{action}"><label class="form-label" '
                         rf'for="{field}"', page), field


def test_a_bulk_move_moves_every_ticked_city_names_them_and_keeps_the_filters(cast, secretariat):
    cities = [_city(cast, name=name) for name in ("Chiba", "Aomori", "Beppu")]
    untouched = _city(cast)
    response = _bulk(secretariat, cities, "move_stage", query="stage=long_list&page=2",
                     stage="short_list")
    assert response.redirect_chain[-1][0] == f"{BASE}/?stage=long_list"
    assert "3 cities changed: Aomori, Beppu, Chiba." in response.content.decode()
    assert _stages(cast, *cities, untouched) == ["short_list"] * 3 + ["long_list"]


def test_a_bulk_success_names_the_first_cities_and_counts_the_rest(cast, secretariat):
    cities = [_city(cast, name=f"Town {n}") for n in range(5)]
    page = _bulk(secretariat, cities, "tag", tags="coastal").content.decode()
    assert "5 cities changed: Town 0, Town 1, Town 2 and 2 more." in page


def test_a_bulk_assignment_takes_the_picked_owner_or_the_typed_name(cast, secretariat):
    cities = [_city(cast) for _ in range(2)]
    owner = cast.home.regional_secretariat
    _bulk(secretariat, cities[:1], "assign_owner", owner=owner.pk)
    _bulk(secretariat, cities[1:], "assign_owner", owner_text=owner.email)
    with scope(region=cast.home.region):
        assert [City.objects.get(pk=c.pk).owner for c in cities] == [owner, owner]


def test_bulk_tagging_adds_the_tags_to_every_ticked_city(cast, secretariat):
    cities = [_city(cast) for _ in range(2)]
    _bulk(secretariat, cities, "tag", tags="coastal, 2026 wave")
    with scope(region=cast.home.region):
        assert [sorted(City.objects.get(pk=c.pk).tags.values_list("name", flat=True))
                for c in cities] == [["2026 wave", "coastal"]] * 2


def test_a_refused_bulk_action_shows_the_same_rows_still_ticked(cast, secretariat):
    fine = _city(cast, name="Fine")
    stuck = _city(cast, name="Stuck", stage=Stage.MEMBER)
    other = _city(cast, name="Other")
    response = _bulk(secretariat, [fine, stuck], "move_stage", query="sort=name&per_page=50",
                     stage="short_list")
    page = response.content.decode()
    assert response.status_code == 200 and not response.redirect_chain
    assert "Nothing was changed: Stuck: A city at “Member” cannot move to “Short list”" in page
    assert "checked" in _tick_box(page, fine) and "checked" in _tick_box(page, stuck)
    assert "checked" not in _tick_box(page, other)
    # The same table: its sort and page size, the chosen action and stage.
    assert _names_in(page, "Fine", "Other", "Stuck") == ["Fine", "Other", "Stuck"]
    assert 'name="query" value="sort=name&amp;per_page=50"' in page
    assert '<option value="short_list" selected>' in page
    assert _stages(cast, fine, stuck) == ["long_list", "member"]
    with scope(region=cast.home.region):
        assert not StageChange.objects.exists()


def test_a_bulk_request_naming_a_city_of_another_region_changes_nothing_and_says_why(
        cast, secretariat):
    mine = _city(cast)
    theirs = CityFactory(region=cast.foreign.region)
    page = _bulk(secretariat, [mine, theirs], "move_stage", stage="short_list").content.decode()
    assert f"Nothing was changed: cities {theirs.pk} are not in this region." in page
    assert _stages(cast, mine) == ["long_list"]
    with scope(region=cast.foreign.region):
        assert City.objects.get(pk=theirs.pk).stage == Stage.LONG_LIST


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


def test_the_board_has_a_column_per_stage_with_compact_cards_and_counts(cast, secretariat):
    kyoto = _scored(cast, 3, name="Kyoto", stage=Stage.SHORT_LIST, tier=Tier.PIONEER,
                    owner=cast.home.regional_secretariat)
    _city(cast, name="Sapporo")
    _city(cast, name="Sendai")
    page = _board(secretariat)
    assert page.index('data-stage="long_list"') < page.index('data-stage="short_list"') \
        < page.index('data-stage="member"') < page.index('data-stage="left"')
    long_list, short_list = _column(page, "long_list"), _column(page, "short_list")
    assert "2 cities" in long_list and "Sapporo" in long_list and "Sendai" in long_list
    assert "1 city" in short_list and f'href="{BASE}/{kyoto.pk}/"' in short_list
    for fact in ("Kyoto", "Japan", "Pioneer", "100.0", str(cast.home.regional_secretariat)):
        assert fact in short_list, fact
    assert "<form" not in long_list and "<select" not in long_list


def test_a_column_names_the_moves_its_stage_allows(cast, secretariat):
    _city(cast, name="Kochi", stage=Stage.SHORT_LIST)
    column = _column(_board(secretariat), "short_list")
    assert 'data-moves="contacted paused declined"' in column
    assert 'data-needs-reason' in _column(_board(secretariat), "paused")


def _many(cast, count, stage=Stage.LONG_LIST, prefix="Many"):
    """`count` cities in one stage, ranked by name (none has a score)."""
    return City.objects.bulk_create(City(region=cast.home.region, name=f"{prefix} {n:03}",
                                         country="JP", stage=stage) for n in range(count))


def test_a_column_shows_its_first_cards_its_count_and_a_way_to_more(cast, secretariat):
    _many(cast, queries.BOARD_CARDS + 3)
    top = _scored(cast, 3, name="Zzz best scored")
    column = _column(_board(secretariat), "long_list")
    assert column.count('class="board-card"') == queries.BOARD_CARDS
    assert f"{queries.BOARD_CARDS + 4} cities" in column
    # Best priority first, then by name.
    assert column.index("Zzz best scored") < column.index("Many 000")
    assert f"Many {queries.BOARD_CARDS - 2:03}" in column
    assert f"Many {queries.BOARD_CARDS - 1:03}" not in column
    assert (f'hx-get="{BASE}/board/more/?stage=long_list&amp;offset={queries.BOARD_CARDS}"'
            in column) and "Show more (4 left)" in column
    assert f'href="{BASE}/?stage=long_list"' in column  # without JavaScript: the table
    assert top.pk


def test_show_more_answers_the_next_cards_of_the_column(cast, secretariat):
    _many(cast, queries.BOARD_CARDS + 3)
    _city(cast, name="Elsewhere", stage=Stage.MEMBER)
    response = secretariat.get(f"{BASE}/board/more/?stage=long_list&offset={queries.BOARD_CARDS}")
    more = response.content.decode()
    assert response.status_code == 200 and "<html" not in more
    assert more.count('class="board-card"') == 3
    assert [f"Many {queries.BOARD_CARDS + n:03}" in more for n in range(3)] == [True] * 3
    assert "Elsewhere" not in more and "Show more" not in more


def test_show_more_with_more_still_left_offers_the_next_batch(cast, secretariat):
    _many(cast, 2 * queries.BOARD_CARDS + 1)
    more = secretariat.get(
        f"{BASE}/board/more/?stage=long_list&offset={queries.BOARD_CARDS}").content.decode()
    assert more.count('class="board-card"') == queries.BOARD_CARDS
    assert f"offset={2 * queries.BOARD_CARDS}" in more and "Show more (1 left)" in more


@pytest.mark.parametrize("query", ["", "?stage=long_list", "?stage=nope&offset=0",
                                   "?stage=long_list&offset=-1", "?stage=long_list&offset=9e9",
                                   "?stage=long_list&offset=100001"])
def test_show_more_of_no_column_is_not_found(cast, secretariat, query):
    assert secretariat.get(f"{BASE}/board/more/{query}").status_code == 404


def test_a_plain_move_moves_the_city_and_returns_to_the_board(cast, secretariat):
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


def _htmx_move(client, city, to, note=""):
    return client.post(f"{BASE}/move/{city.pk}/", {"to": to, "note": note},
                       headers={"HX-Request": "true"})


def test_an_htmx_move_answers_the_news_and_the_two_columns_it_changed(cast, secretariat):
    city = _city(cast, name="Matsue")
    _city(cast, name="Stays")
    response = _htmx_move(secretariat, city, "short_list")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'hx-swap-oob="innerHTML:#board-message"' in page
    assert f'<p data-city="{city.pk}">Matsue moved to “Short list”.</p>' in page
    assert page.count("<section") == 2 and page.count('hx-swap-oob="true"') == 2
    assert "Matsue" in _column(page, "short_list") and "1 city" in _column(page, "short_list")
    assert "Stays" in _column(page, "long_list") and "1 city" in _column(page, "long_list")


def test_a_moved_card_shows_in_its_new_column_even_below_the_first_cards(cast, secretariat):
    _many(cast, queries.BOARD_CARDS + 1, stage=Stage.SHORT_LIST)
    city = _city(cast, name="Zzz last by name")
    column = _column(_htmx_move(secretariat, city, "short_list").content.decode(), "short_list")
    assert f'id="card-{city.pk}"' in column
    assert column.count('class="board-card"') == queries.BOARD_CARDS + 1
    assert f"offset={queries.BOARD_CARDS}" in column


def test_a_refused_htmx_move_answers_422_with_the_reason_and_no_column(cast, secretariat):
    city = _city(cast, name="Tottori", stage=Stage.SHORT_LIST)
    response = _htmx_move(secretariat, city, "long_list")
    page = response.content.decode()
    assert response.status_code == 422
    assert f'<p data-city="{city.pk}" data-refused>A city at “Short list” cannot move' in page
    assert "<section" not in page
    assert _stages(cast, city) == ["short_list"]


# Who may

@pytest.mark.parametrize("role", ["expert", "city_contact"])
@pytest.mark.parametrize("url", ["/", "/board/", "/board/more/?stage=long_list&offset=0"])
def test_experts_and_city_contacts_may_not_see_the_pipeline(cast, client, role, url):
    client.force_login(cast.home.by_role(role))
    assert client.get(f"{BASE}{url}").status_code == 403


def test_a_forum_reviewer_sees_the_board_but_cannot_move_or_change_cities(cast, client):
    city = _city(cast, name="Nagoya")
    client.force_login(cast.home.forum_reviewer)
    board = _board(client)
    assert "Nagoya" in board and "card-menu" not in board and 'draggable="true"' not in board
    assert 'id="move-dialog"' not in board
    assert 'name="cities"' not in _table(client)
    assert client.post(f"{BASE}/move/{city.pk}/", {"to": "short_list"}).status_code == 403
    assert client.post(f"{BASE}/bulk/", {"cities": [city.pk], "action": "tag",
                                         "tags": "x"}).status_code == 403
    assert _stages(cast, city) == ["long_list"]


@pytest.mark.parametrize("url", ["/", "/board/", "/board/more/?stage=long_list&offset=0"])
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


def _saved_views(cast, count):
    SavedView.objects.bulk_create(
        SavedView(region=cast.home.region, user=cast.home.regional_secretariat,
                  name=f"View {next(_serial)}", query=f"q={n}") for n in range(count))


@pytest.mark.parametrize("url", ["/", "/?q=City&sort=name&per_page=100", "/?sort=country",
                                 "/board/", "/board/more/?stage=long_list&offset=0"])
def test_the_table_and_board_do_not_grow_their_queries_with_rows(cast, secretariat, url):
    _rich_cities(cast, 2)
    _saved_views(cast, 1)

    def fetch():
        assert secretariat.get(f"{BASE}{url}").status_code == 200

    def grow():
        _rich_cities(cast, 30)
        _saved_views(cast, 5)

    fetch()  # warm the session and content-type caches
    assert_flat_queries(fetch, grow)


def test_the_board_reads_its_cards_in_one_query_however_many_there_are(cast, secretariat):
    """Session, user, memberships, MFA, region, notification bell; counts; cards."""
    _many(cast, 3 * queries.BOARD_CARDS)

    def fetch():
        assert secretariat.get(f"{BASE}/board/").status_code == 200

    fetch()
    assert_flat_queries(fetch, lambda: _many(cast, 50, stage=Stage.MEMBER, prefix="More"),
                        budget=10)


def test_a_filtered_table_with_an_owner_stays_flat(cast, secretariat):
    owner = cast.home.regional_secretariat
    _rich_cities(cast, 2)

    def fetch():
        assert secretariat.get(f"{BASE}/?owner={owner.pk}&tag_text=x").status_code == 200

    fetch()
    assert_flat_queries(fetch, lambda: _rich_cities(cast, 20))


@pytest.mark.parametrize("to, status", [("long_list", 422), ("paused", 422)])
def test_a_refused_htmx_move_does_not_grow_its_queries_with_rows(cast, secretariat, to, status):
    _rich_cities(cast, 2)
    city = _city(cast, stage=Stage.SHORT_LIST)

    def refuse():
        assert _htmx_move(secretariat, city, to).status_code == status

    refuse()
    assert_flat_queries(refuse, lambda: _rich_cities(cast, 20))


def test_an_htmx_move_does_not_grow_its_queries_with_rows(cast, secretariat):
    _rich_cities(cast, 2)
    cities = iter(CityFactory.create_batch(3, region=cast.home.region))

    def move():
        assert _htmx_move(secretariat, next(cities), "short_list").status_code == 200

    move()
    assert_flat_queries(move, lambda: _rich_cities(cast, 20), budget=25)
