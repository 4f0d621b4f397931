import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
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
