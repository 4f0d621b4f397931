"""Letters through their services: merge fields, the character limit, the legal approval and
engagement clearance gates, answers; and the partner networks' one rule."""

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from alliance.errors import DomainError, InvalidTransition
from alliance.models import ApprovalRequest
from alliance.services.approvals import decide
from cities.models import City, Stage
from outreach.models import Letter, LetterKind
from outreach.services import letter_templates, letters, partners
from tests.factories import (
    CityFactory,
    ContactFactory,
    LetterFactory,
    LetterOfIntentFactory,
    LetterTemplateFactory,
)

from .helpers import approve

State = Letter.State


def _stage(city):
    with scope(region=city.region):
        return City.objects.get(pk=city.pk).stage


# -- merge fields ------------------------------------------------------------------------

def test_a_template_is_rendered_for_its_recipient(cast, home, rs, in_home):
    city = CityFactory(region=home, name="Maebashi")
    contact = ContactFactory(city=city, name="Mayor Ogawa")
    template = LetterTemplateFactory(
        region=home, subject="{{region}}: an invitation for {{ city }}",
        body="Dear {{ contact }},\n{{ city }} and {{ region }}.\n{{ sender }}")
    with in_home():
        letter = letters.draft_letter(actor=rs, city=city, contact=contact, template=template)
    assert letter.subject == "Aurora: an invitation for Maebashi"
    assert letter.body == f"Dear Mayor Ogawa,\nMaebashi and Aurora.\n{rs.full_name}"
    assert (letter.state, letter.owner, letter.kind) == (State.DRAFT, rs, LetterKind.INQUIRY)


def test_a_japanese_letter_names_the_city_as_it_calls_itself(cast, home, rs, in_home):
    city = CityFactory(region=home, name="Maebashi", local_name="前橋市")
    template = LetterTemplateFactory(region=home, language="ja", body="{{ city }}御中")
    with in_home():
        letter = letters.draft_letter(actor=rs, city=city, template=template)
    assert letter.body == "前橋市御中"
    assert letter.language == "ja"


@pytest.mark.parametrize("body", [
    "Dear {{ contact.user.password }}", "{% load static %}{{ city }}", "{{ settings }}",
    "{{ city|upper }}"])
def test_a_template_reaching_beyond_the_four_merge_fields_is_refused(cast, home, rs, in_home,
                                                                     body):
    with in_home(), pytest.raises(DomainError) as error:
        letter_templates.create_letter_template(actor=rs, region=home, name="Sneaky",
                                                kind=LetterKind.INQUIRY, language="en",
                                                subject="Hello", body=body)
    assert error.value.field == "body"
    assert "Unknown merge field" in error.value.message


def test_merge_values_are_inserted_as_text_not_run(cast, home, rs, in_home):
    city = CityFactory(region=home, name="{{ sender }} {% now 'Y' %}")
    template = LetterTemplateFactory(region=home, body="City: {{ city }}")
    with in_home():
        letter = letters.draft_letter(actor=rs, city=city, template=template)
    assert letter.body == "City: {{ sender }} {% now 'Y' %}"


def test_a_draft_is_refused_for_a_contact_of_another_city(cast, home, rs, in_home):
    city = CityFactory(region=home)
    stranger = ContactFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(DomainError) as error:
        letters.draft_letter(actor=rs, city=city, contact=stranger, kind=LetterKind.INQUIRY)
    assert error.value.field == "contact"


# -- the character limit -----------------------------------------------------------------

def test_sending_refuses_a_letter_over_its_character_limit(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home), body="x" * 101, char_limit=100)
    with in_home(), pytest.raises(DomainError) as error:
        letters.send_letter(actor=rs, letter=letter)
    assert "1 character over its limit of 100" in error.value.message
    with in_home():
        letters.update_letter(actor=rs, letter=letter, body="y" * 100)
        sent = letters.send_letter(actor=rs, letter=letter)
    assert sent.state == State.SENT and sent.sent_at


def test_line_breaks_count_as_one_character_as_the_editor_shows(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home), char_limit=5)
    with in_home():
        letter = letters.update_letter(actor=rs, letter=letter, body="ab\r\ncd")
    assert (letter.body, letter.length, letter.over_limit) == ("ab\ncd", 5, 0)


# -- the legal_document gate ---------------------------------------------------------------

def test_a_forum_letter_is_sent_only_once_the_global_secretariat_approves_it(cast, home, rs,
                                                                             in_home):
    city = CityFactory(region=home, stage=Stage.SHORT_LIST)
    letter = LetterFactory(city=city, kind=LetterKind.INVITATION, owner=rs)
    with in_home(), pytest.raises(DomainError) as error:
        letters.send_letter(actor=rs, letter=letter)
    assert "Global Secretariat must approve it as a legal document" in error.value.message
    with in_home():
        approval = letters.request_legal_approval(actor=rs, letter=letter)
    assert (approval.kind, approval.route_role) == ("legal_document", "global_secretariat")
    with in_home(), pytest.raises(DomainError):
        letters.send_letter(actor=rs, letter=letter)  # pending is not approved
    with pytest.raises(PermissionDenied):
        approve(cast.home.forum_reviewer, approval)  # routed to the Global Secretariat
    approve(cast.global_secretariat, approval)
    with in_home():
        sent = letters.send_letter(actor=rs, letter=letter)
    assert sent.state == State.SENT
    assert _stage(city) == Stage.CONTACTED


def test_an_approved_forum_letter_keeps_the_text_that_was_approved(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home), kind=LetterKind.INVITATION)
    with in_home():
        approval = letters.request_legal_approval(actor=rs, letter=letter)
    with in_home(), pytest.raises(InvalidTransition):
        letters.update_letter(actor=rs, letter=letter, body="Changed while under review.")
    approve(cast.global_secretariat, approval)
    with in_home(), pytest.raises(InvalidTransition):
        letters.update_letter(actor=rs, letter=letter, body="Changed after approval.")


def test_a_letter_of_intent_is_approved_with_its_terms(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home), kind=LetterKind.LETTER_OF_INTENT)
    with in_home(), pytest.raises(DomainError) as error:
        letters.request_legal_approval(actor=rs, letter=letter)
    assert "content" in error.value.message
    LetterOfIntentFactory(letter=letter)
    with in_home():
        assert letters.request_legal_approval(actor=rs, letter=letter).kind == "legal_document"


def test_an_inquiry_needs_no_legal_approval(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(DomainError):
        letters.request_legal_approval(actor=rs, letter=letter)
    with in_home():
        assert letters.send_letter(actor=rs, letter=letter).state == State.SENT


# -- the engagement_clearance gate --------------------------------------------------------

@pytest.mark.parametrize("flag", ["is_national_government", "is_forum_partner"])
def test_approaching_an_official_or_a_forum_partner_waits_for_a_forum_reviewer(
        cast, home, rs, in_home, flag):
    city = CityFactory(region=home)
    official = ContactFactory(city=city, name="Vice Minister Sato", **{flag: True})
    letter = LetterFactory(city=city, contact=official)
    with in_home(), pytest.raises(DomainError) as error:
        letters.send_letter(actor=rs, letter=letter)
    assert "engagement clearance" in error.value.message and error.value.field == "contact"
    with in_home():
        clearance = letters.request_engagement_clearance(actor=rs, contact=official)
    assert (clearance.kind, clearance.route_role) == ("engagement_clearance", "forum_reviewer")
    with pytest.raises(PermissionDenied):
        approve(cast.home.expert, clearance)
    approve(cast.home.forum_reviewer, clearance)
    with in_home():
        assert letters.send_letter(actor=rs, letter=letter).state == State.SENT


def test_a_rejected_clearance_still_blocks_and_a_new_one_can_be_asked(cast, home, rs, in_home):
    official = ContactFactory(city=CityFactory(region=home), is_national_government=True)
    letter = LetterFactory(city=official.city, contact=official)
    with in_home():
        clearance = letters.request_engagement_clearance(actor=rs, contact=official)
        decide(actor=cast.home.forum_reviewer, approval=clearance,
               decision=ApprovalRequest.State.REJECTED, comment="Go through the ministry.")
        with pytest.raises(DomainError):
            letters.send_letter(actor=rs, letter=letter)
        again = letters.request_engagement_clearance(actor=rs, contact=official)
    assert again.pk != clearance.pk and again.state == ApprovalRequest.State.PENDING


def test_a_contact_without_the_flags_needs_no_clearance(cast, home, rs, in_home):
    contact = ContactFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(DomainError) as error:
        letters.request_engagement_clearance(actor=rs, contact=contact)
    assert "needs no engagement clearance" in error.value.message


# -- answers --------------------------------------------------------------------------------

def test_an_answer_puts_the_city_in_dialogue(cast, home, rs, in_home):
    city = CityFactory(region=home, stage=Stage.SHORT_LIST)
    letter = LetterFactory(city=city)
    with in_home():
        letters.send_letter(actor=rs, letter=letter)
        answered = letters.record_answer(actor=rs, letter=letter, note="Call on Monday.")
    assert (answered.state, answered.answer_note) == (State.ANSWERED, "Call on Monday.")
    assert _stage(city) == Stage.IN_DIALOGUE


def test_no_answer_is_recorded_and_a_late_answer_still_counts(cast, home, rs, in_home):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    letter = LetterFactory(city=city, state=State.SENT)
    with in_home():
        assert letters.record_no_answer(actor=rs, letter=letter).state == State.NO_ANSWER
        assert _stage(city) == Stage.CONTACTED
        assert letters.record_answer(actor=rs, letter=letter).state == State.ANSWERED
    assert _stage(city) == Stage.IN_DIALOGUE


def test_a_letter_moves_only_forward(cast, home, rs, in_home):
    letter = LetterFactory(city=CityFactory(region=home))
    with in_home():
        with pytest.raises(InvalidTransition):
            letters.record_answer(actor=rs, letter=letter)
        letters.send_letter(actor=rs, letter=letter)
        with pytest.raises(InvalidTransition):
            letters.send_letter(actor=rs, letter=letter)


def test_an_answer_never_moves_a_city_backwards(cast, home, rs, in_home):
    city = CityFactory(region=home, stage=Stage.MEMBER)
    letter = LetterFactory(city=city, state=State.SENT)
    with in_home():
        letters.record_answer(actor=rs, letter=letter)
    assert _stage(city) == Stage.MEMBER


@pytest.mark.parametrize("role", ["forum_reviewer", "city_contact", "expert"])
def test_roles_without_the_right_cannot_send(cast, home, in_home, role):
    letter = LetterFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(PermissionDenied):
        letters.send_letter(actor=cast.home.by_role(role), letter=letter)


def test_the_other_regions_secretariat_cannot_send_here(cast, home, in_home):
    letter = LetterFactory(city=CityFactory(region=home))
    with in_home(), pytest.raises(PermissionDenied):
        letters.send_letter(actor=cast.foreign.regional_secretariat, letter=letter)


# -- partner networks ---------------------------------------------------------------------------

def test_a_partner_networks_website_must_be_a_web_address(cast, home, rs, in_home):
    with in_home(), pytest.raises(DomainError) as error:
        partners.create_partner_network(actor=rs, region=home, name="Network",
                                        website="javascript:alert(1)")
    assert error.value.field == "website"
    with in_home():
        partner = partners.create_partner_network(actor=rs, region=home, name="Network",
                                                  website="https://network.example")
        partners.update_partner_network(actor=rs, partner=partner, notes="Met in May.")
    assert partner.website == "https://network.example"
