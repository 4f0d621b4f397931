import pytest
from django_scopes import scope

from cities.models import City, Stage
from outreach.models import Letter, LetterKind
from tests.factories import CityFactory, ContactFactory, LetterFactory, LetterTemplateFactory
from tests.querycount import assert_flat_queries

BASE = "/api/v1/regions/aurora"


@pytest.fixture
def secretariat(api_secretariat):
    """In these tests the secretariat works through the API."""
    return api_secretariat


def _letter(cast, **kwargs):
    city = kwargs.pop("city", None) or CityFactory(region=cast.home.region)
    return LetterFactory(city=city, owner=cast.home.regional_secretariat, **kwargs)


def _state_of(cast, letter):
    with scope(region=cast.home.region):
        return Letter.objects.get(pk=letter.pk).state


def _stage_of(cast, city):
    with scope(region=cast.home.region):
        return City.objects.get(pk=city.pk).stage


def _decide(api, approval_id, user, decision="approved"):
    api.force_authenticate(user)
    response = api.post(f"{BASE}/approvals/{approval_id}/decide/", {"decision": decision},
                        format="json")
    assert response.status_code == 200, response.json()


# -- reading -----------------------------------------------------------------------------

def test_the_list_filters_by_state_kind_and_city(cast, secretariat):
    kobe = CityFactory(region=cast.home.region, name="Kobe")
    inquiry = _letter(cast, city=kobe)
    sent = _letter(cast, city=kobe, state=Letter.State.SENT)
    invitation = _letter(cast, kind=LetterKind.INVITATION)

    def ids(query):
        return sorted(r["id"] for r in secretariat.get(f"{BASE}/letters/?{query}").json()[
            "results"])

    assert ids("") == sorted([inquiry.pk, sent.pk, invitation.pk])
    assert ids("state=sent") == [sent.pk]
    assert ids("kind=invitation") == [invitation.pk]
    assert ids(f"city={kobe.pk}&state=draft") == [inquiry.pk]
    assert secretariat.get(f"{BASE}/letters/?state=lost").status_code == 400


def test_the_list_stays_flat_in_queries_as_letters_grow(cast, secretariat):
    def fetch():
        assert secretariat.get(f"{BASE}/letters/").status_code == 200

    _letter(cast)
    fetch()  # the user's memberships are read once and then remembered
    assert_flat_queries(fetch, lambda: [_letter(cast) for _ in range(12)])


def test_a_letter_shows_its_length_against_its_limit(cast, secretariat):
    letter = _letter(cast, body="x" * 120, char_limit=100)
    body = secretariat.get(f"{BASE}/letters/{letter.pk}/").json()
    assert (body["length"], body["over_limit"], body["city_name"]) == (120, 20,
                                                                      letter.city.name)


# -- drafting ----------------------------------------------------------------------------

def test_a_draft_from_a_template_is_written_for_its_recipient(cast, secretariat):
    city = CityFactory(region=cast.home.region, name="Sanda")
    contact = ContactFactory(city=city, name="Mayor Tanaka")
    template = LetterTemplateFactory(region=cast.home.region, char_limit=500)
    response = secretariat.post(f"{BASE}/letters/", {
        "city": city.pk, "contact": contact.pk, "template": template.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject"] == "Joining the Aurora alliance"
    assert body["body"].startswith("Dear Mayor Tanaka,\n\nSanda is warmly invited.")
    assert (body["state"], body["kind"], body["char_limit"]) == ("draft", "inquiry", 500)


def test_a_draft_can_be_written_without_a_template(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/letters/", {
        "city": city.pk, "kind": "inquiry", "subject": "Hello", "body": "A short note.",
        "char_limit": 300}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == cast.home.regional_secretariat.pk


def test_a_draft_needs_a_template_or_a_kind(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    response = secretariat.post(f"{BASE}/letters/", {"city": city.pk, "body": "Hi"},
                                format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_a_draft_to_another_citys_contact_or_another_regions_city_is_refused(cast,
                                                                             secretariat):
    city = CityFactory(region=cast.home.region)
    elsewhere = ContactFactory(city=CityFactory(region=cast.home.region))
    response = secretariat.post(f"{BASE}/letters/", {
        "city": city.pk, "contact": elsewhere.pk, "kind": "inquiry"}, format="json")
    assert response.status_code == 400 and "contact" in response.json()
    foreign = CityFactory(region=cast.foreign.region)
    response = secretariat.post(f"{BASE}/letters/", {"city": foreign.pk, "kind": "inquiry"},
                                format="json")
    assert response.status_code == 400 and "city" in response.json()
    with scope(region=cast.foreign.region):
        assert not Letter.objects.exists()


def test_a_draft_is_edited_and_a_sent_letter_is_not(cast, secretariat):
    draft = _letter(cast)
    response = secretariat.patch(f"{BASE}/letters/{draft.pk}/", {"body": "Shorter."},
                                 format="json")
    assert response.status_code == 200 and response.json()["body"] == "Shorter."
    sent = _letter(cast, state=Letter.State.SENT, body="As sent.")
    response = secretariat.patch(f"{BASE}/letters/{sent.pk}/", {"body": "Rewritten."},
                                 format="json")
    assert response.status_code == 400
    assert "can no longer change" in response.json()["non_field_errors"][0]


# -- sending and its gates ---------------------------------------------------------------

def test_sending_moves_the_letter_and_the_city_to_contacted(cast, secretariat):
    city = CityFactory(region=cast.home.region, stage=Stage.SHORT_LIST)
    letter = _letter(cast, city=city)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "sent" and response.json()["sent_at"]
    assert _stage_of(cast, city) == Stage.CONTACTED


def test_an_over_long_letter_is_refused_and_stays_a_draft(cast, secretariat):
    letter = _letter(cast, body="x" * 120, char_limit=100)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert response.status_code == 400
    assert "20 characters over its limit of 100" in response.json()["body"][0]
    assert _state_of(cast, letter) == Letter.State.DRAFT


def test_a_forum_letter_is_sent_only_after_the_global_secretariat_approves_it(
        cast, secretariat):
    letter = _letter(cast, kind=LetterKind.INVITATION)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert response.status_code == 400
    assert "must approve it as a legal document" in response.json()["non_field_errors"][0]
    approval = secretariat.post(f"{BASE}/letters/{letter.pk}/request-approval/")
    assert approval.status_code == 201 and approval.json()["kind"] == "legal_document"
    assert secretariat.post(f"{BASE}/letters/{letter.pk}/send/").status_code == 400
    _decide(secretariat, approval.json()["id"], cast.global_secretariat)
    secretariat.force_authenticate(cast.home.regional_secretariat)
    assert secretariat.post(f"{BASE}/letters/{letter.pk}/send/").status_code == 200
    assert _state_of(cast, letter) == Letter.State.SENT


def test_approval_is_only_asked_for_forum_letters(cast, secretariat):
    letter = _letter(cast)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/request-approval/")
    assert response.status_code == 400 and "Only letters the Forum issues" in str(
        response.json())


def test_a_national_government_contact_needs_an_engagement_clearance_first(cast, secretariat):
    city = CityFactory(region=cast.home.region)
    official = ContactFactory(city=city, name="Vice Minister", is_national_government=True)
    letter = _letter(cast, city=city, contact=official)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert response.status_code == 400
    assert "engagement clearance" in response.json()["contact"][0]
    clearance = secretariat.post(
        f"{BASE}/cities/{city.pk}/contacts/{official.pk}/request-clearance/")
    assert clearance.status_code == 201
    assert clearance.json()["route_role"] == "forum_reviewer"
    _decide(secretariat, clearance.json()["id"], cast.home.forum_reviewer)
    secretariat.force_authenticate(cast.home.regional_secretariat)
    assert secretariat.post(f"{BASE}/letters/{letter.pk}/send/").status_code == 200


# -- answers -----------------------------------------------------------------------------

def test_an_answer_after_no_answer_puts_the_city_in_dialogue(cast, secretariat):
    city = CityFactory(region=cast.home.region, stage=Stage.CONTACTED)
    letter = _letter(cast, city=city, state=Letter.State.SENT)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/no-answer/",
                                {"note": "Two weeks, nothing."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "no_answer"
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/answer/",
                                {"note": "The mayor is interested."}, format="json")
    assert response.status_code == 200
    assert response.json()["answer_note"] == "The mayor is interested."
    assert _stage_of(cast, city) == Stage.IN_DIALOGUE


def test_a_draft_cannot_be_answered(cast, secretariat):
    letter = _letter(cast)
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/answer/", {}, format="json")
    assert response.status_code == 400
    assert _state_of(cast, letter) == Letter.State.DRAFT


# -- who may ----------------------------------------------------------------------------

def test_another_regions_letters_answer_404_json_and_do_not_move(cast, secretariat):
    foreign = LetterFactory(city=CityFactory(region=cast.foreign.region))
    for url in (f"{BASE}/letters/{foreign.pk}/", "/api/v1/regions/borealis/letters/"):
        response = secretariat.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json")
    assert secretariat.post(f"{BASE}/letters/{foreign.pk}/send/").status_code == 404
    with scope(region=cast.foreign.region):
        assert Letter.objects.get(pk=foreign.pk).state == Letter.State.DRAFT


@pytest.mark.parametrize("role", ["expert", "city_contact"])
def test_experts_and_city_contacts_may_not_see_letters(cast, api, role):
    letter = _letter(cast)
    api.force_authenticate(cast.home.by_role(role))
    assert api.get(f"{BASE}/letters/").status_code == 403
    assert api.post(f"{BASE}/letters/{letter.pk}/send/").status_code == 403


def test_a_forum_reviewer_reads_letters_but_does_not_send_them(cast, api):
    letter = _letter(cast)
    api.force_authenticate(cast.home.forum_reviewer)
    assert api.get(f"{BASE}/letters/{letter.pk}/").status_code == 200
    assert api.post(f"{BASE}/letters/{letter.pk}/send/").status_code == 403
    assert api.patch(f"{BASE}/letters/{letter.pk}/", {"body": "x"},
                     format="json").status_code == 403
    assert _state_of(cast, letter) == Letter.State.DRAFT
