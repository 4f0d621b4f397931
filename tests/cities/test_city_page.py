import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from alliance.models import AuditEntry, Invitation, Role
from alliance.services import invitations
from cities.models import City, Contact, Criterion, CriterionScore, Stage, StageChange
from tests.factories import (
    AuditEntryFactory,
    CityFactory,
    ContactFactory,
    CriterionScoreFactory,
    LetterFactory,
    StageChangeFactory,
)
from tests.querycount import assert_flat_queries

BASE = "/r/aurora/cities"


def _city(cast, **kwargs):
    return CityFactory(region=cast.home.region, **kwargs)


def test_a_new_city_starts_on_the_long_list_and_appears_on_its_timeline(cast, secretariat):
    response = secretariat.post(f"{BASE}/new/", {"name": "Sanda", "country": "JP",
                                                 "population": "109000", "tier": "active",
                                                 "tags": "hyogo, pioneer-candidate"})
    with scope(region=cast.home.region):
        city = City.objects.get(name="Sanda")
        assert sorted(city.tags.values_list("name", flat=True)) == ["hyogo",
                                                                    "pioneer-candidate"]
    assert response["Location"] == f"{BASE}/{city.pk}/"
    assert city.stage == Stage.LONG_LIST
    page = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    assert "Added to the list" in page


def test_a_duplicate_is_caught_on_create_with_a_link_to_the_existing_city(cast, secretariat):
    existing = _city(cast, name="Mishima", country="JP")
    response = secretariat.post(f"{BASE}/new/", {"name": " mishima ", "country": "JP",
                                                 "tier": "active"})
    assert response.status_code == 200
    assert f'href="{BASE}/{existing.pk}/"' in response.content.decode()
    with scope(region=cast.home.region):
        assert City.objects.filter(name__iexact="mishima").count() == 1


def test_the_same_name_in_another_country_is_not_a_duplicate(cast, secretariat):
    _city(cast, name="Santiago", country="CL")
    secretariat.post(f"{BASE}/new/", {"name": "Santiago", "country": "ES", "tier": "active"})
    with scope(region=cast.home.region):
        assert City.objects.filter(name="Santiago").count() == 2


def test_every_move_records_who_when_and_why(cast, secretariat):
    city = _city(cast)
    secretariat.post(f"{BASE}/{city.pk}/stage/", {"to": "short_list", "note": "Mayor keen"})
    with scope(region=cast.home.region):
        change = StageChange.objects.get(city=city)
    assert (change.from_stage, change.to_stage, change.note) == ("long_list", "short_list",
                                                                 "Mayor keen")
    assert change.actor == cast.home.regional_secretariat and change.at
    page = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    assert "Moved from Long list to Short list" in page and "Mayor keen" in page


def test_it_refuses_a_move_back_to_long_list(cast, secretariat):
    city = _city(cast, stage=Stage.SHORT_LIST)
    page = secretariat.post(f"{BASE}/{city.pk}/stage/", {"to": "long_list"},
                            follow=True).content.decode()
    assert "Choose a stage this city can move to" in page
    city.refresh_from_db()
    assert city.stage == Stage.SHORT_LIST


def test_declining_needs_a_reason(cast, secretariat):
    city = _city(cast, stage=Stage.CONTACTED)
    page = secretariat.post(f"{BASE}/{city.pk}/stage/", {"to": "declined", "note": ""},
                            follow=True).content.decode()
    assert "Say why the city moves to" in page
    city.refresh_from_db()
    assert city.stage == Stage.CONTACTED


def test_one_key_contact_per_city(cast, secretariat):
    city = _city(cast)
    first = ContactFactory(city=city, is_key=True)
    secretariat.post(f"{BASE}/{city.pk}/contacts/new/", {
        "name": "Aiko Tanaka", "position": "section_chief", "email": "aiko@city.jp",
        "language": "ja", "preferred_channel": "email", "is_key": "on"})
    with scope(region=cast.home.region):
        keys = list(Contact.objects.filter(city=city, is_key=True).values_list("name",
                                                                                flat=True))
    assert keys == ["Aiko Tanaka"]
    first.refresh_from_db()
    assert not first.is_key


def test_an_invited_contact_becomes_the_citys_portal_user(cast, secretariat, client,
                                                         django_capture_on_commit_callbacks):
    city = _city(cast)
    contact = ContactFactory(city=city, email="official@maebashi.example")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(f"{BASE}/{city.pk}/contacts/{contact.pk}/invite/")
    assert mail.outbox[0].to == ["official@maebashi.example"]
    with scope(region=cast.home.region):
        invitation = Invitation.objects.get(email="official@maebashi.example")
    assert invitation.role == Role.CITY_CONTACT
    client.logout()
    user, _ = invitations.accept(token=invitations.token_for(invitation), full_name="Official",
                                 password="a long and unusual passphrase")
    contact.refresh_from_db()
    assert contact.user == user


def test_scores_give_a_weighted_priority(cast, secretariat):
    city = _city(cast)
    with scope(region=cast.home.region):
        leadership, enthusiasm, projects = Criterion.objects.filter(region=cast.home.region)
    projects.weight = 2
    projects.save()
    secretariat.post(f"{BASE}/{city.pk}/scores/", {
        f"score_{leadership.pk}": "3", f"score_{enthusiasm.pk}": "0",
        f"score_{projects.pk}": "3", f"note_{projects.pk}": "Two pilots running"})
    page = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    # (3x1 + 0x1 + 3x2) / (3x1 + 3x1 + 3x2) = 75 %
    assert "75.0%" in page and "Two pilots running" in page


def test_a_score_above_3_is_refused(cast, secretariat):
    city = _city(cast)
    with scope(region=cast.home.region):
        criterion = Criterion.objects.filter(region=cast.home.region).first()
    page = secretariat.post(f"{BASE}/{city.pk}/scores/", {f"score_{criterion.pk}": "4"},
                            follow=True).content.decode()
    assert "Scores run from 0 to 3" in page
    with scope(region=cast.home.region):
        assert not CriterionScore.objects.filter(city=city).exists()


def test_a_region_adds_its_own_weighted_criterion(cast, secretariat):
    secretariat.post(f"{BASE}/criteria/", {"name": "Data strategy", "weight": "1.5"})
    with scope(region=cast.home.region):
        names = list(Criterion.objects.filter(region=cast.home.region).values_list("name",
                                                                                   flat=True))
    assert names[-1] == "Data strategy" and len(names) == 4
    with scope(region=cast.foreign.region):
        assert not Criterion.objects.filter(name="Data strategy").exists()


def test_merging_keeps_contacts_letters_scores_and_history(cast, secretariat):
    keep = _city(cast, name="Aizuwakamatsu", population=None)
    duplicate = _city(cast, name="Aizu-Wakamatsu", population=116000)
    contact = ContactFactory(city=duplicate, name="Dup Contact", is_key=False)
    LetterFactory(city=duplicate, contact=contact, subject="Inquiry to Aizu")
    StageChangeFactory(city=duplicate, note="early move")
    with scope(region=cast.home.region):
        criterion = Criterion.objects.filter(region=cast.home.region).first()
    CriterionScoreFactory(city=duplicate, criterion=criterion, score=3)
    secretariat.post(f"{BASE}/{keep.pk}/merge/", {"duplicate": duplicate.pk, "confirm": "yes"})
    with scope(region=cast.home.region):
        assert not City.objects.filter(pk=duplicate.pk).exists()
        keep = City.objects.get(pk=keep.pk)
        assert [c.name for c in keep.contacts.all()] == ["Dup Contact"]
        assert [letter.subject for letter in keep.letters.all()] == ["Inquiry to Aizu"]
        assert keep.stage_changes.get().note == "early move"
        assert keep.scores.get().score == 3
        assert keep.population == 116000
        assert AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(City), object_id=keep.pk,
            action="cities.city.merged").exists()


@pytest.mark.parametrize("role", ["city_contact", "expert"])
def test_other_roles_cannot_see_the_pipeline(cast, client, role):
    city = _city(cast)
    client.force_login(cast.home.by_role(role))
    assert client.get(f"{BASE}/{city.pk}/").status_code == 403


def test_a_reviewer_sees_a_city_but_cannot_change_it(cast, client):
    city = _city(cast)
    client.force_login(cast.home.forum_reviewer)
    assert client.get(f"{BASE}/{city.pk}/").status_code == 200
    assert client.post(f"{BASE}/{city.pk}/stage/", {"to": "short_list"}).status_code == 403


def test_another_regions_city_is_not_found(cast, secretariat):
    foreign = CityFactory(region=cast.foreign.region)
    assert secretariat.get(f"{BASE}/{foreign.pk}/").status_code == 404
    assert secretariat.post(f"{BASE}/{foreign.pk}/stage/", {"to": "short_list"}
                            ).status_code == 404


def test_the_city_page_does_not_grow_its_queries(cast, secretariat):
    city = _city(cast)

    def grow():
        for _n in range(5):
            contact = ContactFactory(city=city, is_key=False)
            LetterFactory(city=city, contact=contact)
        AuditEntryFactory.create_batch(5, region=cast.home.region, object_id=city.pk,
                                       content_type=ContentType.objects.get_for_model(City),
                                       actor=cast.home.expert)

    secretariat.get(f"{BASE}/{city.pk}/")
    assert_flat_queries(lambda: secretariat.get(f"{BASE}/{city.pk}/"), grow)


# The record view ----------------------------------------------------------------------------

def test_the_header_names_stage_tier_priority_and_owner_with_the_main_actions(cast, secretariat):
    city = _city(cast, name="Kobe", stage=Stage.SHORT_LIST, owner=cast.home.regional_secretariat)
    page = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    header = page[page.index('<header class="page-header'):page.index("</header>", page.index(
        '<header class="page-header'))]
    assert "Kobe" in header and "Short list" in header and "Active" in header
    assert "not scored" in header and str(cast.home.regional_secretariat) in header
    assert f"{BASE}/{city.pk}/edit/" in header and "Merge a duplicate" in header


def test_contacts_and_timeline_show_a_page_at_a_time(cast, secretariat):
    city = _city(cast)
    for n in range(25):
        ContactFactory(city=city, name=f"Person {n:02d}", is_key=False)
    first = secretariat.get(f"{BASE}/{city.pk}/")
    assert [c.name for c in first.context["contacts"].rows] == [f"Person {n:02d}"
                                                                 for n in range(8)]
    assert "25</span>" in first.content.decode()  # the contacts section counts them all
    fourth = secretariat.get(f"{BASE}/{city.pk}/", {"contacts": "4", "from": "stage=long_list"})
    assert [c.name for c in fourth.context["contacts"].rows] == ["Person 24"]
    assert 'href="?contacts=3&amp;from=stage%3Dlong_list#contacts-heading"' in (
        fourth.content.decode())
    AuditEntryFactory.create_batch(15, region=cast.home.region, object_id=city.pk,
                                   content_type=ContentType.objects.get_for_model(City),
                                   actor=cast.home.expert)
    timeline = secretariat.get(f"{BASE}/{city.pk}/").context["timeline"]
    assert len(timeline.rows) == 10 and timeline.has_next
    assert not secretariat.get(f"{BASE}/{city.pk}/", {"timeline": "2"}).context[
        "timeline"].has_next


def test_letters_show_the_newest_first_a_page_at_a_time_without_counting_them(
        cast, secretariat):
    city = _city(cast)
    letters = LetterFactory.create_batch(12, city=city)
    with CaptureQueriesContext(connection) as queries:
        first = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    newest = [letter.subject for letter in reversed(letters)]
    assert [s for s in newest if f">{s}</a>" in first] == newest[:10]
    assert 'href="?letters=2#letters-heading"' in first
    assert not [q["sql"] for q in queries.captured_queries
                if "COUNT(" in q["sql"] and '"outreach_letter"' in q["sql"]]
    second = secretariat.get(f"{BASE}/{city.pk}/", {"letters": "2"}).content.decode()
    assert [s for s in newest if f">{s}</a>" in second] == newest[10:]
    assert 'href="?letters=1#letters-heading"' in second and "?letters=3" not in second


def test_a_page_number_that_is_not_one_shows_the_first_page(cast, secretariat):
    city = _city(cast)
    ContactFactory(city=city, name="Only one")
    for bad in ("0", "-1", "x", "99999999999999999999"):
        page = secretariat.get(f"{BASE}/{city.pk}/", {"contacts": bad})
        assert [c.name for c in page.context["contacts"].rows] == ["Only one"]


def test_the_merge_dropdown_is_a_picker_that_renders_no_city(cast, secretariat):
    city = _city(cast, name="Bogotá", country="CO")
    _city(cast, name="Medellín", country="CO")
    page = secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    merge = page[page.index('id="merge-heading"'):]
    assert "Medellín" not in merge and "data-picker-source" in merge
    assert f'data-picker-exclude="{city.pk}"' in merge


def test_merging_first_asks_and_says_which_city_stays(cast, secretariat):
    keep = _city(cast, name="Bogotá", country="CO")
    duplicate = _city(cast, name="Bogota", country="CO")
    ContactFactory(city=duplicate)
    response = secretariat.post(f"{BASE}/{keep.pk}/merge/", {"duplicate_text": "bogota"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bogota will be merged into Bogotá" in page
    assert "Bogotá stays. Bogota's contacts, letters and history move to it" in page
    assert "1 contact moves" in page and 'name="confirm"' in page
    with scope(region=cast.home.region):
        assert City.objects.filter(pk=duplicate.pk).exists()
    response = secretariat.post(f"{BASE}/{keep.pk}/merge/",
                                {"duplicate": duplicate.pk, "confirm": "yes"}, follow=True)
    assert "Bogota was merged into Bogotá" in response.content.decode()
    with scope(region=cast.home.region):
        assert not City.objects.filter(pk=duplicate.pk).exists()


def test_a_refused_merge_says_why(cast, secretariat):
    city = _city(cast, name="Bogotá")
    response = secretariat.post(f"{BASE}/{city.pk}/merge/", {"duplicate": city.pk,
                                                             "confirm": "yes"}, follow=True)
    assert "Choose from the list." in response.content.decode()
    response = secretariat.post(f"{BASE}/{city.pk}/merge/", {"duplicate_text": "Atlantis"},
                                follow=True)
    assert "Nothing here is called “Atlantis”" in response.content.decode()


def test_a_city_of_another_region_cannot_be_merged_in(cast, secretariat):
    city = _city(cast)
    foreign = CityFactory(region=cast.foreign.region)
    secretariat.post(f"{BASE}/{city.pk}/merge/", {"duplicate": foreign.pk, "confirm": "yes"})
    with scope(region=cast.foreign.region):
        assert City.objects.filter(pk=foreign.pk).exists()


def test_the_owner_is_chosen_with_a_picker(cast, secretariat):
    city = _city(cast, owner=cast.home.regional_secretariat)
    page = secretariat.get(f"{BASE}/{city.pk}/edit/").content.decode()
    assert "/r/aurora/pick/owners/" in page and "<option" not in page.split('id="id_owner')[1][:300]
    secretariat.post(f"{BASE}/{city.pk}/edit/", {
        "name": city.name, "country": "JP", "tier": "active", "owner": "",
        "owner_text": cast.home.regional_secretariat.email})
    city.refresh_from_db()
    assert city.owner == cast.home.regional_secretariat


# Previous and next through the table's list ------------------------------------------------

def _listed(cast):
    names = ["Akita", "Beppu", "Chiba", "Daito"]
    return {name: _city(cast, name=name, population=1000 * (n + 1), stage=Stage.SHORT_LIST)
            for n, name in enumerate(names)}


def _neighbours(client, city, table_query):
    """The names of the cities "Previous city" and "Next city" lead to ("" for the table)."""
    def lands_on(step):
        response = client.get(f"{BASE}/{city.pk}/neighbour/", {"to": step, "from": table_query})
        assert response.status_code == 302
        location = response["Location"]
        if not location.startswith(f"{BASE}/") or location.startswith(f"{BASE}/?"):
            return ""
        with scope(region=city.region):
            return City.objects.get(pk=int(location.split("/")[4])).name
    return lands_on("previous"), lands_on("next")


def test_next_and_previous_follow_the_tables_sort(cast, secretariat):
    cities = _listed(cast)
    assert _neighbours(secretariat, cities["Beppu"], "sort=name") == ("Akita", "Chiba")
    assert _neighbours(secretariat, cities["Beppu"], "sort=-population") == ("Chiba", "Akita")
    assert _neighbours(secretariat, cities["Akita"], "sort=name") == ("", "Beppu")
    assert _neighbours(secretariat, cities["Daito"], "sort=name") == ("Chiba", "")


def test_next_follows_the_tables_filters_and_keeps_them(cast, secretariat):
    cities = _listed(cast)
    _city(cast, name="Bunkyo", stage=Stage.LONG_LIST)
    assert _neighbours(secretariat, cities["Akita"], "stage=short_list&sort=name") == (
        "", "Beppu")
    response = secretariat.get(f"{BASE}/{cities['Akita'].pk}/neighbour/",
                               {"from": "stage=short_list&sort=name"})
    assert response["Location"] == (f"{BASE}/{cities['Beppu'].pk}/"
                                    "?from=stage%3Dshort_list%26sort%3Dname")
    page = secretariat.get(response["Location"]).content.decode()
    assert (f'href="{BASE}/{cities["Beppu"].pk}/neighbour/?to=next&amp;'
            'from=stage%3Dshort_list%26sort%3Dname"') in page
    assert 'href="/r/aurora/cities/?stage=short_list&amp;sort=name"' in page


def test_past_the_last_city_next_goes_back_to_the_list(cast, secretariat):
    daito = _listed(cast)["Daito"]
    response = secretariat.get(f"{BASE}/{daito.pk}/neighbour/",
                               {"to": "next", "from": "sort=name"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{BASE}/?sort=name"
    assert "Daito is the last city of your list." in response.content.decode()


def test_a_search_matching_several_contacts_lists_the_city_once(cast, secretariat):
    cities = _listed(cast)
    for city in cities.values():
        ContactFactory.create_batch(2, city=city, name="Tanaka", is_key=False)
    assert _neighbours(secretariat, cities["Beppu"], "q=tanaka&sort=name") == (
        "Akita", "Chiba")


def _row_link(client, city, table_query=""):
    """Where the table's row of `city` links to, under `table_query`."""
    table = client.get(f"{BASE}/?{table_query}").content.decode()
    return html.unescape(re.search(rf'<a href="({BASE}/{city.pk}/[^"]*)"', table).group(1))


def test_a_row_of_the_table_leads_to_a_page_with_the_tables_next_city(cast, secretariat):
    cities = _listed(cast)
    _city(cast, name="Bunkyo", stage=Stage.LONG_LIST)
    link = _row_link(secretariat, cities["Beppu"], "stage=short_list&sort=name&page=1")
    # The filters and sort, not the page: the next city may be on the table's next page.
    assert link == f"{BASE}/{cities['Beppu'].pk}/?from=stage%3Dshort_list%26sort%3Dname"
    page = secretariat.get(link).content.decode()
    assert "Previous city" in page and "Next city" in page
    assert _neighbours(secretariat, cities["Beppu"], "stage=short_list&sort=name") == (
        "Akita", "Chiba")


def test_a_row_of_the_unfiltered_table_leads_through_the_whole_list(cast, secretariat):
    cities = _listed(cast)
    link = _row_link(secretariat, cities["Beppu"])
    assert link == f"{BASE}/{cities['Beppu'].pk}/?from="
    page = secretariat.get(link).content.decode()
    assert f'href="{BASE}/{cities["Beppu"].pk}/neighbour/?to=next&amp;from="' in page
    # The table's default order: the highest priority first, then by name.
    assert _neighbours(secretariat, cities["Beppu"], "") == ("Akita", "Chiba")


def test_without_a_list_there_is_no_next_and_a_broken_one_leads_back(cast, secretariat):
    city = _listed(cast)["Beppu"]
    assert "Next city" not in secretariat.get(f"{BASE}/{city.pk}/").content.decode()
    assert _neighbours(secretariat, city, "stage=nonsense") == ("", "")


# A city contact on their own city's page ---------------------------------------------------

def _contact_of(cast, city):
    user = cast.home.city_contact
    ContactFactory(city=city, name="Official", user=user)
    return user


def test_a_city_contact_reads_their_own_citys_page(cast, client):
    city = _city(cast, name="Maebashi", notes="Mayor skeptical")
    client.force_login(_contact_of(cast, city))
    response = client.get(f"{BASE}/{city.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "Maebashi" in page and "Official" in page
    # Read only, and without the secretariat's own notes, scores and history.
    for hidden in ("Edit details", "Merge a duplicate", "Move to another stage",
                   "Selection criteria", "Timeline", "Mayor skeptical", "Priority",
                   f'action="{BASE}/'):
        assert hidden not in page, hidden


def test_a_city_contacts_dashboard_leads_to_their_own_citys_page(cast, client):
    own, _other = _city(cast, name="Maebashi"), _city(cast, name="Takamatsu")
    client.force_login(_contact_of(cast, own))
    dashboard = client.get("/r/aurora/").content.decode()
    assert "Your city" in dashboard and "Takamatsu" not in dashboard
    link = re.search(rf'href="({BASE}/{own.pk}/)"[^>]*>[^<]*(<svg.*?</svg>)?\s*Maebashi</a>',
                     dashboard, re.DOTALL)
    assert link and client.get(link.group(1)).status_code == 200


def test_a_city_contact_not_yet_linked_to_a_city_sees_no_city_on_the_dashboard(cast, client):
    _city(cast, name="Maebashi")
    client.force_login(cast.home.city_contact)
    assert "Your city" not in client.get("/r/aurora/").content.decode()


def test_the_secretariats_dashboard_has_no_own_city_card(cast, secretariat):
    _contact_of(cast, _city(cast, name="Maebashi"))
    assert "Your city" not in secretariat.get("/r/aurora/").content.decode()


def test_a_city_contact_cannot_change_their_city(cast, client):
    city = _city(cast, stage=Stage.SHORT_LIST)
    client.force_login(_contact_of(cast, city))
    with scope(region=cast.home.region):
        criterion = Criterion.objects.filter(region=cast.home.region).first()
    for path, data in [("", {}), ("edit/", {"name": "X", "country": "JP", "tier": "active"}),
                       ("stage/", {"to": "contacted"}), ("merge/", {}),
                       ("scores/", {f"score_{criterion.pk}": "3"}), ("contacts/new/", {})]:
        assert client.post(f"{BASE}/{city.pk}/{path}", data).status_code in (403, 405), path
    city.refresh_from_db()
    assert city.stage == Stage.SHORT_LIST and city.name != "X"


def test_a_city_contact_cannot_open_another_city(cast, client):
    own, other = _city(cast), _city(cast)
    client.force_login(_contact_of(cast, own))
    assert client.get(f"{BASE}/{other.pk}/").status_code == 403
    assert client.get(f"{BASE}/").status_code == 403


def test_the_city_page_stays_within_its_budget_with_a_list_to_follow(cast, secretariat):
    city = _city(cast)
    url = f"{BASE}/{city.pk}/?from=stage%3Dlong_list%26sort%3Dname"

    def grow():
        CityFactory.create_batch(20, region=cast.home.region)
        for _n in range(15):
            ContactFactory(city=city, is_key=False)

    secretariat.get(url)
    assert_flat_queries(lambda: secretariat.get(url), grow, budget=15)
