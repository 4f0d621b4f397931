"""A letter of intent on one page, as steps: terms prefilled from the playbook and the region,
approval, a preview of the PDF (marked DRAFT until approved), sending (held back with its
reason) and the signed copy. Every step posts and comes back to the same page: in place with
htmx, as a redirect without it."""

import io
import json
import re

import pytest
from django_scopes import scope
from pypdf import PdfReader

from alliance.models import ApprovalRequest
from cities.models import City, Stage
from outreach.models import Letter, LetterKind, LetterOfIntent
from outreach.services import letters
from tests.factories import (
    AuditEntryFactory,
    CityFactory,
    ContactFactory,
    LetterFactory,
    LetterOfIntentFactory,
    UserFactory,
)
from tests.querycount import assert_flat_queries

from .helpers import approve, pdf_bytes

BASE = "/r/aurora/outreach"
HTMX = {"HX-Request": "true"}
State = Letter.State
TERMS = {"purpose": "Govern technology well.", "opportunities": "Peer learning.",
         "commitment": "One assessment a year.", "validity_period": "Two years",
         "financials": "No fees.", "data_protection": "Confidential.",
         "intellectual_property": "Model policies are public.",
         "contact_details": "secretariat@example.org"}


@pytest.fixture
def bogota(home):
    return CityFactory(region=home, name="Bogotá", stage=Stage.SHORT_LIST)


def _letter_of_intent(city, **fields):
    fields.setdefault("body", "")
    return LetterFactory(city=city, kind=LetterKind.LETTER_OF_INTENT,
                         subject="Letter of intent: Bogotá", **fields)


def _url(letter, action=""):
    return f"{BASE}/letters/{letter.pk}/{action}"


def _fresh(region, letter):
    with scope(region=region):
        return Letter.objects.select_related("city").get(pk=letter.pk)


def _current_step(page: str) -> str:
    return re.search(r'<li aria-current="step">\s*<a href="#step-(\w+)"', page).group(1)


def _send_button(page: str) -> str:
    return re.search(r'<button type="submit" class="btn btn-primary"[^>]*>[^<]*<svg[^>]*>'
                     r'<use[^>]*></use></svg> Mark as sent', page).group(0)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# -- prefilled terms -------------------------------------------------------------------------

def test_a_new_letter_of_intent_starts_from_the_playbooks_terms_for_its_city_and_region(
        cast, home, rs, bogota, secretariat):
    key = ContactFactory(city=bogota, name="Ana Ruiz", is_key=True)
    response = secretariat.post(f"{BASE}/letters/new/?city={bogota.pk}",
                                {"contact": key.pk, "kind": "letter_of_intent"}, follow=True)
    page = response.content.decode()
    assert "Bogotá joins the Aurora Regional Alliance of the G20 Global Smart Cities" in page
    assert "Two years from signature, renewable by mutual agreement" in page
    assert f"Aurora Regional Alliance secretariat\n{rs.get_full_name()} · {rs.email}" in page
    assert "Dear Ana Ruiz,\n\nPlease find enclosed the letter of intent for Bogotá" in page
    assert "Prefilled for this city from the playbook" in page


def test_the_regions_latest_terms_carry_over_but_not_another_citys_purpose(
        cast, home, bogota, secretariat):
    LetterOfIntentFactory(letter=_letter_of_intent(CityFactory(region=home, name="Cali")),
                          purpose="Cali joins.", financials="Travel at the city's cost.")
    LetterOfIntentFactory(letter=_letter_of_intent(CityFactory(region=home), language="es"),
                          financials="Sin costo.")
    page = secretariat.get(_url(_letter_of_intent(bogota))).content.decode()
    assert "Travel at the city&#x27;s cost." in page
    assert "Sin costo." not in page and "Cali joins." not in page
    assert "Bogotá joins the Aurora Regional Alliance" in page


def test_the_old_address_of_the_terms_lands_on_their_step(cast, bogota, secretariat):
    letter = _letter_of_intent(bogota)
    response = secretariat.get(_url(letter, "intent/"))
    assert response["Location"] == f"{_url(letter)}#step-terms"
    assert secretariat.get(_url(LetterFactory(city=bogota), "intent/")).status_code == 404


# -- the steps ---------------------------------------------------------------------------------

def test_the_steps_say_what_is_done_current_and_next_as_the_letter_goes(
        cast, home, rs, bogota, secretariat):
    letter = _letter_of_intent(bogota)
    page = secretariat.get(_url(letter)).content.decode()
    assert _current_step(page) == "terms"
    assert "Save the terms first: the approval covers them." in page
    assert page.count('aria-current="step"') == 1

    response = secretariat.post(_url(letter, "intent/"), {
        **TERMS, "subject": "Letter of intent: Bogotá", "body": "Dear Mayor,\r\nplease sign."})
    assert response["Location"] == _url(letter)
    page = secretariat.get(_url(letter)).content.decode()
    assert _current_step(page) == "approval"
    assert "Terms <span class=\"visually-hidden\">(done)</span>" in page
    letter = _fresh(home, letter)
    assert (letter.intent.financials, letter.body) == ("No fees.", "Dear Mayor,\nplease sign.")

    secretariat.post(_url(letter, "request-approval/"))
    page = secretariat.get(_url(letter)).content.decode()
    assert _current_step(page) == "approval" and "state-pending" in page
    with scope(region=home):
        approve(cast.global_secretariat, ApprovalRequest.objects.get())
    assert _current_step(secretariat.get(_url(letter)).content.decode()) == "send"

    secretariat.post(_url(letter, "send/"))
    assert _current_step(secretariat.get(_url(letter)).content.decode()) == "signed"
    secretariat.post(_url(letter, "intent/signed-copy/"),
                     {"file": _upload("signed.pdf", pdf_bytes())})
    page = secretariat.get(_url(letter)).content.decode()
    assert 'aria-current="step"' not in page and "Download the signed copy" in page


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_mark_as_sent_is_disabled_with_its_reason_until_the_approval_lands(
        cast, home, rs, bogota, secretariat):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    page = secretariat.get(_url(letter)).content.decode()
    assert 'disabled aria-describedby="send-reason"' in _send_button(page)
    assert "Request their approval first." in page

    with scope(region=home):
        approval = letters.request_legal_approval(actor=rs, letter=letter)
    page = secretariat.get(_url(letter)).content.decode()
    assert "disabled" in _send_button(page) and "Their approval is pending." in page
    # The button is only a hint: the service refuses too.
    secretariat.post(_url(letter, "send/"))
    assert _fresh(home, letter).state == State.DRAFT

    approve(cast.global_secretariat, approval)
    page = secretariat.get(_url(letter)).content.decode()
    assert "disabled" not in _send_button(page) and "Ready to send." in page


def test_a_rejected_approval_says_to_change_the_letter_and_ask_again(
        cast, home, rs, bogota, secretariat):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    with scope(region=home):
        approval = letters.request_legal_approval(actor=rs, letter=letter)
        from alliance.services.approvals import decide

        decide(actor=cast.global_secretariat, approval=approval,
               decision=ApprovalRequest.State.CHANGES_REQUESTED, comment="Shorter terms.")
    page = secretariat.get(_url(letter)).content.decode()
    assert "They answered “Changes requested”: change the letter and request approval" in page
    assert 'name="financials"' in page  # the terms can change again


# -- in place with htmx --------------------------------------------------------------------------

def test_with_htmx_a_step_answers_with_the_page_in_place_and_a_notice(
        cast, home, bogota, secretariat):
    letter = _letter_of_intent(bogota)
    response = secretariat.post(_url(letter, "intent/"), {
        **TERMS, "subject": "Letter of intent: Bogotá", "body": "Dear Mayor."}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<div id=\"letter-page\"") and "<html" not in page
    assert _current_step(page) == "approval"
    notice = json.loads(response["HX-Trigger"])["letterNotice"]
    assert notice == {"text": "Letter of intent saved.", "tone": "success"}


def test_with_htmx_an_invalid_step_answers_422_with_its_errors(cast, home, bogota, secretariat):
    letter = _letter_of_intent(bogota)
    response = secretariat.post(_url(letter, "intent/"), {**TERMS, "financials": " ",
                                                          "subject": "LOI", "body": "Hi."},
                                headers=HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "<html" not in page
    with scope(region=home):
        assert not LetterOfIntent.objects.exists()


def test_with_htmx_a_refused_step_answers_422_with_the_reason_in_the_page(
        cast, home, bogota, secretariat):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    response = secretariat.post(_url(letter, "send/"), headers=HTMX)
    assert response.status_code == 422
    assert "Request their approval first." in response.content.decode()
    assert json.loads(response["HX-Trigger"])["letterNotice"]["tone"] == "danger"


def test_a_pending_approval_freezes_the_terms_on_the_page_and_in_a_post(
        cast, home, rs, bogota, secretariat):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    with scope(region=home):
        letters.request_legal_approval(actor=rs, letter=letter)
    page = secretariat.get(_url(letter)).content.decode()
    assert 'name="financials"' not in page and "No fees." in page
    response = secretariat.post(_url(letter, "intent/"), {**TERMS, "subject": "S", "body": "B"})
    assert "The Global Secretariat is reviewing this letter" in response.content.decode()
    assert _fresh(home, letter).intent.financials == "No fees."


# -- the PDF -------------------------------------------------------------------------------------

def test_the_pdf_is_marked_draft_until_the_global_secretariat_approves_it(
        cast, home, rs, bogota, secretariat):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    draft = secretariat.get(_url(letter, "intent/pdf/"))
    assert "DRAFT" in _pdf_text(draft.content)
    assert "Not approved for sending" in _pdf_text(draft.content)
    page = secretariat.get(_url(letter)).content.decode()
    assert "Download the draft PDF" in page and "marked DRAFT until" in page
    assert f'data-src="{_url(letter, "intent/pdf/")}?inline=1"' in page

    with scope(region=home):
        approve(cast.global_secretariat, letters.request_legal_approval(actor=rs,
                                                                        letter=letter))
    final = secretariat.get(_url(letter, "intent/pdf/")).content
    assert "DRAFT" not in _pdf_text(final) and "Improve technology governance." in _pdf_text(final)


# -- who, and what it costs -------------------------------------------------------------------

def test_a_forum_reviewer_reads_the_steps_but_has_no_forms(cast, home, bogota, client):
    letter = _letter_of_intent(bogota, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    client.force_login(cast.home.forum_reviewer)
    page = client.get(_url(letter)).content.decode()
    assert _current_step(page) == "approval"
    assert 'name="financials"' not in page and "Request approval" not in page
    assert "Change recipient" not in page
    assert client.post(_url(letter, "intent/"), TERMS).status_code == 403


def test_the_letter_of_intent_page_stays_flat_as_its_history_grows(cast, home, bogota,
                                                                   secretariat):
    official = ContactFactory(city=bogota, is_national_government=True)
    letter = _letter_of_intent(bogota, contact=official, body="Dear Mayor.")
    LetterOfIntentFactory(letter=letter)
    ContactFactory.create_batch(3, city=bogota)
    from django.contrib.contenttypes.models import ContentType

    letter_type = ContentType.objects.get_for_model(Letter)

    def grow():
        for _ in range(20):
            AuditEntryFactory(region=home, actor=UserFactory(), content_type=letter_type,
                              object_id=letter.pk)

    def fetch():
        assert secretariat.get(_url(letter)).status_code == 200

    fetch()
    assert_flat_queries(fetch, grow)
    with scope(region=home):
        assert City.objects.get(pk=bogota.pk).stage == Stage.SHORT_LIST
