"""A letter that moves its city says so: sending (contacted), an answer (in dialogue) and a
signed letter of intent (committed) are remembered on the letter, shown on its page, told in
the success message and given by the API."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from cities.models import City, Stage
from outreach.models import Letter, LetterKind
from outreach.services import intents, letters
from tests.factories import CityFactory, LetterFactory, LetterOfIntentFactory

from .helpers import approve, pdf_bytes

BASE = "/r/aurora/outreach"
State = Letter.State


@pytest.fixture
def bogota(home):
    return CityFactory(region=home, name="Bogotá", stage=Stage.SHORT_LIST)


def _fresh(region, letter):
    with scope(region=region):
        return Letter.objects.select_related("city").get(pk=letter.pk)


def test_each_move_is_remembered_on_the_letter_that_made_it(cast, home, rs, in_home, bogota):
    letter = LetterFactory(city=bogota, kind=LetterKind.LETTER_OF_INTENT)
    LetterOfIntentFactory(letter=letter)
    with in_home():
        approve(cast.global_secretariat, letters.request_legal_approval(actor=rs,
                                                                        letter=letter))
        letters.send_letter(actor=rs, letter=letter)
        assert _fresh(home, letter).city_moved_to == Stage.CONTACTED
        letters.record_no_answer(actor=rs, letter=letter)
        letters.record_answer(actor=rs, letter=letter)
        assert _fresh(home, letter).city_moved_to == Stage.IN_DIALOGUE
        intents.upload_signed_copy(actor=rs, letter=letter, file=SimpleUploadedFile(
            "signed.pdf", pdf_bytes()))
    letter = _fresh(home, letter)
    assert (letter.city_moved_to, letter.city.stage) == (Stage.COMMITTED, Stage.COMMITTED)
    assert letter.city_moved_at is not None
    assert letters.city_moved_news(letter) == "Bogotá moved to “Committed”."


def test_a_letter_that_finds_its_city_further_on_moves_nothing_and_says_nothing(
        cast, home, rs, in_home):
    city = CityFactory(region=home, stage=Stage.IN_DIALOGUE)
    letter = LetterFactory(city=city)
    with in_home():
        letters.send_letter(actor=rs, letter=letter)
    letter = _fresh(home, letter)
    assert (letter.city_moved_to, letter.city_moved_at, letter.city.stage) == (
        "", None, Stage.IN_DIALOGUE)
    assert letters.city_moved_news(letter) == ""


def test_the_success_message_and_the_page_say_the_city_moved(cast, home, bogota, secretariat):
    letter = LetterFactory(city=bogota, state=State.SENT)
    url = f"{BASE}/letters/{letter.pk}/"
    response = secretariat.post(f"{url}answer/", {"outcome": "answered"}, follow=True)
    page = response.content.decode()
    assert "Answer recorded. Bogotá moved to “In dialogue”." in page
    assert "Bogotá moved to “In dialogue” with this letter on " in page


def test_with_htmx_the_notice_says_the_city_moved(cast, home, bogota, secretariat):
    letter = LetterFactory(city=bogota)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/",
                                headers={"HX-Request": "true"})
    notice = json.loads(response["HX-Trigger"])["letterNotice"]
    assert notice["text"] == "Letter marked as sent. Bogotá moved to “Contacted”."
    assert "Bogotá moved to “Contacted” with this letter on " in response.content.decode()


def test_a_send_that_moves_nothing_says_only_that_it_was_sent(cast, home, secretariat):
    letter = LetterFactory(city=CityFactory(region=home, stage=Stage.COMMITTED))
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/", follow=True)
    page = response.content.decode()
    assert "Letter marked as sent." in page and "moved to" not in page


def test_the_signed_copy_says_the_city_is_committed(cast, home, bogota, secretariat):
    letter = LetterFactory(city=bogota, kind=LetterKind.LETTER_OF_INTENT, state=State.SENT)
    LetterOfIntentFactory(letter=letter)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/intent/signed-copy/",
                                {"file": SimpleUploadedFile("signed.pdf", pdf_bytes())},
                                follow=True)
    assert ("Signed copy saved: Bogotá intends to participate. Bogotá moved to “Committed”."
            in response.content.decode())
    with scope(region=home):
        assert City.objects.get(pk=bogota.pk).stage == Stage.COMMITTED


def test_the_api_gives_the_move(cast, home, bogota, api_secretariat):
    letter = LetterFactory(city=bogota)
    response = api_secretariat.post(f"/api/v1/regions/aurora/letters/{letter.pk}/send/")
    body = response.json()
    assert body["city_moved_to"] == "contacted" and body["city_moved_at"]
