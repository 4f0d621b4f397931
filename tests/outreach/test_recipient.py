"""A letter's recipient: the city's key contact unless another is named, changeable among the
city's contacts while the letter is a draft, fixed once it is sent, in the service, on the
page and in the API."""

import json

import pytest
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from outreach.models import Letter, LetterKind
from outreach.services import letters
from tests.factories import CityFactory, ContactFactory, LetterFactory, LetterOfIntentFactory

from .helpers import approve

BASE = "/r/aurora/outreach"
API = "/api/v1/regions/aurora"
State = Letter.State


@pytest.fixture
def city(home):
    return CityFactory(region=home, name="Bogotá")


@pytest.fixture
def key(city):
    return ContactFactory(city=city, name="Ana Ruiz", is_key=True)


@pytest.fixture
def colleague(city):
    return ContactFactory(city=city, name="Bea Gómez")


def _contact_of(region, letter):
    with scope(region=region):
        return Letter.objects.get(pk=letter.pk).contact


# -- the service -------------------------------------------------------------------------------

def test_a_draft_goes_to_the_citys_key_contact_unless_another_is_named(
        cast, home, rs, in_home, city, key, colleague):
    with in_home():
        assert letters.draft_letter(actor=rs, city=city, kind="inquiry").contact == key
        assert letters.draft_letter(actor=rs, city=city, kind="inquiry",
                                    contact=colleague).contact == colleague
        assert letters.draft_letter(actor=rs, city=city, kind="inquiry",
                                    contact=None).contact is None


def test_a_letter_of_intent_without_a_text_gets_a_covering_text_for_its_recipient(
        cast, home, rs, in_home, city, key):
    with in_home():
        letter = letters.draft_letter(actor=rs, city=city, kind="letter_of_intent")
        written = letters.draft_letter(actor=rs, city=city, kind="letter_of_intent",
                                       body="Our own words.")
    assert letter.body.startswith("Dear Ana Ruiz,\n\nPlease find enclosed the letter of intent "
                                  "for Bogotá's participation in the Aurora Regional Alliance")
    assert letter.body.endswith(rs.get_full_name())
    assert written.body == "Our own words."


def test_a_city_without_a_key_contact_gets_a_draft_without_a_recipient(cast, home, rs,
                                                                         in_home, city):
    ContactFactory(city=city, is_key=False)
    with in_home():
        assert letters.draft_letter(actor=rs, city=city, kind="inquiry").contact is None


def test_the_recipient_changes_among_the_citys_contacts_until_the_letter_is_sent(
        cast, home, rs, in_home, city, key, colleague):
    letter = LetterFactory(city=city, contact=key)
    with in_home():
        letters.update_letter(actor=rs, letter=letter, contact=colleague)
        assert _contact_of(home, letter) == colleague
        with pytest.raises(DomainError, match="is not a contact of Bogotá"):
            letters.update_letter(actor=rs, letter=letter,
                                  contact=ContactFactory(city=CityFactory(region=home)))
        letters.send_letter(actor=rs, letter=letter)
        with pytest.raises(InvalidTransition, match="its recipient is fixed"):
            letters.update_letter(actor=rs, letter=letter, contact=key)
    assert _contact_of(home, letter) == colleague


def test_the_recipient_of_a_letter_under_legal_review_may_still_change(
        cast, home, rs, in_home, city, key, colleague):
    """The approval covers the text and terms; a new recipient is checked when it is sent."""
    letter = LetterFactory(city=city, contact=key, kind=LetterKind.LETTER_OF_INTENT)
    LetterOfIntentFactory(letter=letter)
    with in_home():
        letters.request_legal_approval(actor=rs, letter=letter)
        letters.update_letter(actor=rs, letter=letter, contact=colleague)
        with pytest.raises(InvalidTransition, match="reviewing this letter"):
            letters.update_letter(actor=rs, letter=letter, subject="Another subject")
    assert _contact_of(home, letter) == colleague


def test_a_new_recipient_who_needs_a_clearance_holds_the_letter_back(
        cast, home, rs, in_home, city, key):
    letter = LetterFactory(city=city, contact=key, kind=LetterKind.INQUIRY)
    official = ContactFactory(city=city, is_national_government=True)
    with in_home():
        letters.update_letter(actor=rs, letter=letter, contact=official)
        with pytest.raises(DomainError, match="engagement clearance"):
            letters.send_letter(actor=rs, letter=letter)


# -- the page ----------------------------------------------------------------------------------

def test_the_write_page_picks_the_key_contact(cast, home, city, key, colleague, secretariat):
    page = secretariat.get(f"{BASE}/letters/new/?city={city.pk}").content.decode()
    assert f'<option value="{key.pk}" selected>' in page
    page = secretariat.get(f"{BASE}/letters/new/?city={city.pk}&contact={colleague.pk}"
                           f"&kind=letter_of_intent").content.decode()
    assert f'<option value="{colleague.pk}" selected>' in page
    assert '<option value="letter_of_intent" selected>' in page


def test_the_letter_page_changes_the_recipient_in_place_until_it_is_sent(
        cast, home, city, key, colleague, secretariat):
    letter = LetterFactory(city=city, contact=key)
    url = f"{BASE}/letters/{letter.pk}/"
    page = secretariat.get(url).content.decode()
    assert f'<option value="{colleague.pk}">Bea Gómez</option>' in page

    response = secretariat.post(f"{url}recipient/", {"contact": colleague.pk},
                                headers={"HX-Request": "true"})
    assert f'<option value="{colleague.pk}" selected>' in response.content.decode()
    assert json.loads(response["HX-Trigger"])["letterNotice"]["text"] == "Recipient changed."
    assert _contact_of(home, letter) == colleague

    secretariat.post(f"{url}send/")
    page = secretariat.get(url).content.decode()
    assert "Change recipient" not in page and "fixed once the letter was sent" in page
    response = secretariat.post(f"{url}recipient/", {"contact": key.pk})
    assert "its recipient is fixed" in response.content.decode()
    assert _contact_of(home, letter) == colleague


def test_the_page_offers_only_this_citys_contacts(cast, home, city, key, secretariat):
    stranger = ContactFactory(city=CityFactory(region=home), name="Someone Else")
    letter = LetterFactory(city=city, contact=key)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/recipient/",
                                {"contact": stranger.pk})
    assert "Select a valid choice" in response.content.decode()
    assert _contact_of(home, letter) == key


@pytest.mark.parametrize("role", ["forum_reviewer", "expert"])
def test_only_the_secretariat_changes_a_recipient(cast, home, city, key, colleague, client,
                                                  role):
    letter = LetterFactory(city=city, contact=key)
    client.force_login(cast.home.by_role(role))
    assert client.post(f"{BASE}/letters/{letter.pk}/recipient/",
                       {"contact": colleague.pk}).status_code == 403
    assert _contact_of(home, letter) == key


def test_another_regions_letter_is_not_found(cast, secretariat):
    foreign = LetterFactory(city=CityFactory(region=cast.foreign.region))
    assert secretariat.post(f"{BASE}/letters/{foreign.pk}/recipient/",
                            {"contact": ""}).status_code == 404


# -- the API -----------------------------------------------------------------------------------

def test_an_api_draft_goes_to_the_key_contact_unless_named_or_null(
        cast, home, city, key, colleague, api_secretariat):
    def draft(**extra):
        response = api_secretariat.post(f"{API}/letters/", {
            "city": city.pk, "kind": "inquiry", **extra}, format="json")
        assert response.status_code == 201, response.json()
        return response.json()["contact"]

    assert draft() == key.pk
    assert draft(contact=colleague.pk) == colleague.pk
    assert draft(contact=None) is None


def test_the_api_changes_the_recipient_until_the_letter_is_sent(
        cast, home, rs, city, key, colleague, api_secretariat):
    letter = LetterFactory(city=city, contact=key)
    url = f"{API}/letters/{letter.pk}/"
    response = api_secretariat.patch(url, {"contact": colleague.pk}, format="json")
    assert response.status_code == 200 and response.json()["contact"] == colleague.pk

    other_city = ContactFactory(city=CityFactory(region=home))
    response = api_secretariat.patch(url, {"contact": other_city.pk}, format="json")
    assert response.status_code == 400 and "is not a contact of Bogotá" in str(response.json())
    foreign = ContactFactory(city=CityFactory(region=cast.foreign.region))
    assert api_secretariat.patch(url, {"contact": foreign.pk}, format="json").status_code == 400

    assert api_secretariat.post(f"{url}send/").status_code == 200
    response = api_secretariat.patch(url, {"contact": key.pk}, format="json")
    assert response.status_code == 400 and "its recipient is fixed" in str(response.json())
    assert _contact_of(home, letter) == colleague


def test_an_approved_letter_still_takes_a_new_recipient_but_not_new_text(
        cast, home, rs, city, key, colleague, api_secretariat):
    letter = LetterFactory(city=city, contact=key, kind=LetterKind.INVITATION)
    with scope(region=home):
        approve(cast.global_secretariat, letters.request_legal_approval(actor=rs,
                                                                        letter=letter))
    url = f"{API}/letters/{letter.pk}/"
    assert api_secretariat.patch(url, {"contact": colleague.pk},
                                 format="json").status_code == 200
    assert api_secretariat.patch(url, {"body": "New text"}, format="json").status_code == 400
