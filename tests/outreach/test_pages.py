"""Outreach pages as a person uses them: writing, editing against a limit, the gates, answers,
templates and partner networks; who may open what; query counts that stay flat."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_scopes import scope

from alliance.models import ApprovalRequest, Role
from cities.models import City, PartnerNetwork, Stage
from outreach.models import Letter, LetterKind, LetterTemplate
from tests.factories import (
    AuditEntryFactory,
    CityFactory,
    ContactFactory,
    LetterFactory,
    LetterOfIntentFactory,
    LetterTemplateFactory,
    MaterialFactory,
    PartnerNetworkFactory,
    UserFactory,
)
from tests.querycount import assert_flat_queries

from .helpers import approve

BASE = "/r/aurora/outreach"
State = Letter.State


def _letter(home, **kwargs):
    kwargs.setdefault("city", CityFactory(region=home))
    return LetterFactory(**kwargs)


def _get(region, model, pk):
    with scope(region=region):
        return model.objects.get(pk=pk)


# -- writing and sending ---------------------------------------------------------------------

def test_a_letter_is_written_from_a_template_for_the_chosen_recipient(cast, home, rs,
                                                                      secretariat):
    city = CityFactory(region=home, name="Chino")
    contact = ContactFactory(city=city, name="Mr Ito")
    template = LetterTemplateFactory(region=home, char_limit=300)
    url = f"{BASE}/letters/new/?city={city.pk}&template={template.pk}&contact={contact.pk}"
    page = secretariat.get(url).content.decode()
    assert f'<option value="{contact.pk}" selected>' in page
    response = secretariat.post(url, {"contact": contact.pk, "template": template.pk})
    with scope(region=home):
        letter = Letter.objects.get()
    assert response["Location"] == f"{BASE}/letters/{letter.pk}/"
    assert letter.body.startswith("Dear Mr Ito,\n\nChino is warmly invited.")
    assert (letter.char_limit, letter.owner) == (300, rs)


def test_without_a_city_the_page_asks_for_one_first(cast, home, secretariat):
    CityFactory(region=home, name="Mishima")
    CityFactory(region=cast.foreign.region, name="Foreign town")
    page = secretariat.get(f"{BASE}/letters/new/").content.decode()
    # A picker asks for the city: the page lists none of the region's cities.
    assert 'data-picker-source="/r/aurora/pick/cities/"' in page and "Mishima" not in page
    assert 'method="post"' not in page.split("<main")[1]
    # Without JavaScript the typed name is sent; only this region's cities are found.
    page = secretariat.get(f"{BASE}/letters/new/?city_text=mishima").content.decode()
    assert "Write a letter to Mishima" in page
    page = secretariat.get(f"{BASE}/letters/new/?city_text=Foreign+town").content.decode()
    assert "Nothing here is called “Foreign town”" in page


def test_the_editor_counts_characters_and_sending_refuses_an_over_long_letter(
        cast, home, secretariat):
    letter = _letter(home, body="x" * 120, char_limit=100)
    page = secretariat.get(f"{BASE}/letters/{letter.pk}/").content.decode()
    assert "120 of 100 characters: 20 over the limit" in page
    assert 'data-limit-for="id_char_limit"' in page and "js/letters.js" in page
    response = secretariat.post(f"{BASE}/letters/{letter.pk}/send/", follow=True)
    assert "20 characters over its limit of 100" in response.content.decode()
    assert _get(home, Letter, letter.pk).state == State.DRAFT

    secretariat.post(f"{BASE}/letters/{letter.pk}/", {"subject": letter.subject,
                                                     "body": "Short\r\nand sweet.",
                                                     "char_limit": "100"})
    assert _get(home, Letter, letter.pk).body == "Short\nand sweet."
    secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert _get(home, Letter, letter.pk).state == State.SENT


def test_the_letter_page_shows_the_approval_and_clearance_it_waits_for(cast, home, rs,
                                                                       secretariat):
    official = ContactFactory(city=CityFactory(region=home), name="Director Abe",
                              is_national_government=True)
    letter = _letter(home, city=official.city, contact=official, kind=LetterKind.INVITATION)
    url = f"{BASE}/letters/{letter.pk}/"
    page = secretariat.get(url).content.decode()
    assert page.count("Not requested") == 2
    secretariat.post(f"{BASE}/letters/{letter.pk}/request-approval/")
    secretariat.post(f"{BASE}/contacts/{official.pk}/clearance/", {"next": url})
    page = secretariat.get(url).content.decode()
    assert page.count("state-pending") == 2
    with scope(region=home):
        legal, clearance = ApprovalRequest.objects.order_by("pk")
    assert (legal.kind, clearance.kind) == ("legal_document", "engagement_clearance")
    approve(cast.global_secretariat, legal)
    approve(cast.home.forum_reviewer, clearance)
    page = secretariat.get(url).content.decode()
    assert page.count("state-approved") == 2 and "Ready to send." in page
    # The letter's history tells it too.
    assert f"{cast.global_secretariat} decided on legal approval: Approved" in page
    secretariat.post(f"{BASE}/letters/{letter.pk}/send/")
    assert _get(home, Letter, letter.pk).state == State.SENT


def test_the_clearance_button_goes_back_only_to_this_site(cast, home, secretariat):
    official = ContactFactory(city=CityFactory(region=home), is_forum_partner=True)
    response = secretariat.post(f"{BASE}/contacts/{official.pk}/clearance/",
                                {"next": "https://evil.example/"})
    assert response["Location"] == f"{BASE}/letters/"


def test_answers_are_recorded_from_the_letter_page(cast, home, secretariat):
    city = CityFactory(region=home, stage=Stage.CONTACTED)
    letter = _letter(home, city=city, state=State.SENT)
    secretariat.post(f"{BASE}/letters/{letter.pk}/answer/", {"outcome": "no_answer"})
    assert _get(home, Letter, letter.pk).state == State.NO_ANSWER
    secretariat.post(f"{BASE}/letters/{letter.pk}/answer/",
                     {"outcome": "answered", "note": "They want a call."})
    letter = _get(home, Letter, letter.pk)
    assert (letter.state, letter.answer_note) == (State.ANSWERED, "They want a call.")
    assert _get(home, City, city.pk).stage == Stage.IN_DIALOGUE


def test_the_letter_list_filters_by_state_and_kind(cast, home, secretariat):
    _letter(home, subject="Draft inquiry")
    _letter(home, subject="Sent invitation", state=State.SENT, kind=LetterKind.INVITATION)
    page = secretariat.get(f"{BASE}/letters/?state=sent").content.decode()
    assert "Sent invitation" in page and "Draft inquiry" not in page
    page = secretariat.get(f"{BASE}/letters/?kind=inquiry").content.decode()
    assert "Draft inquiry" in page and "Sent invitation" not in page


def test_a_letter_list_row_shows_the_letter_and_opens_it(cast, home, rs, secretariat):
    city = CityFactory(region=home, name="Nara & Ikoma")
    letter = _letter(home, city=city, contact=ContactFactory(city=city, name="Ms <Sato>"),
                     subject="Invitation to Nara", state=State.SENT, kind=LetterKind.INVITATION,
                     owner=rs, sent_at="2026-03-31T23:30:00Z")
    page = secretariat.get(f"{BASE}/letters/").content.decode()
    row = page[page.index(f'<a href="{BASE}/letters/{letter.pk}/">Invitation to Nara</a>'):]
    row = row[:row.index("</tr>")]
    # Aurora's time zone is ahead of UTC: the day it was sent there.
    assert ["Nara &amp; Ikoma", "Ms &lt;Sato&gt;", "Invitation letter", "Sent", str(rs),
            "2026-04-01"] == [cell.split(">")[-1] for cell in
                              row.replace("</span>", "").split("</td>")[1:-1]]


def test_the_letter_of_intent_is_edited_and_downloads_as_a_pdf(cast, home, secretariat):
    letter = _letter(home, kind=LetterKind.LETTER_OF_INTENT)
    LetterOfIntentFactory(letter=_letter(home, kind=LetterKind.LETTER_OF_INTENT),
                          financials="No fees; travel at the city's cost.")
    url = f"{BASE}/letters/{letter.pk}/intent/"
    page = secretariat.get(f"{BASE}/letters/{letter.pk}/").content.decode()
    assert "No fees; travel at the city&#x27;s cost." in page
    content = {"purpose": "Govern technology well.", "opportunities": "Peer learning.",
               "commitment": "One assessment a year.", "validity_period": "Two years",
               "financials": "No fees.", "data_protection": "Confidential.",
               "intellectual_property": "Model policies are public.",
               "contact_details": "secretariat@example.org", "subject": "Letter of intent",
               "body": "Dear Mayor, please sign."}
    assert secretariat.post(url, content).status_code == 302
    assert _get(home, Letter, letter.pk).intent.validity_period == "Two years"
    pdf = secretariat.get(f"{BASE}/letters/{letter.pk}/intent/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert secretariat.get(f"{BASE}/letters/{_letter(home).pk}/intent/").status_code == 404


# -- templates and partner networks -----------------------------------------------------------

def test_a_template_is_created_edited_and_refused_with_unknown_merge_fields(cast, home,
                                                                            secretariat):
    fields = {"name": "Inquiry (ja)", "kind": "inquiry", "language": "ja",
              "subject": "{{ region }}", "body": "{{ city }} {{ contact.email }}",
              "char_limit": "400"}
    page = secretariat.post(f"{BASE}/templates/new/", fields).content.decode()
    assert "Unknown merge field {{ contact.email }}" in page
    fields["body"] = "{{ city }}御中"
    assert secretariat.post(f"{BASE}/templates/new/", fields).status_code == 302
    with scope(region=home):
        template = LetterTemplate.objects.get()
    secretariat.post(f"{BASE}/templates/{template.pk}/", {**fields, "char_limit": "500"})
    assert _get(home, LetterTemplate, template.pk).char_limit == 500
    page = secretariat.get(f"{BASE}/templates/{template.pk}/").content.decode()
    assert "Template edited (character limit)" in page


def test_a_partner_network_is_added_edited_and_deleted(cast, home, secretariat):
    fields = {"name": "Mercociudades", "kind": "city_network", "website": "mercociudades.org",
              "is_forum_partner": "on"}
    assert secretariat.post(f"{BASE}/partners/new/", fields).status_code == 302
    assert "already has a partner network" in secretariat.post(
        f"{BASE}/partners/new/", fields).content.decode()
    with scope(region=home):
        partner = PartnerNetwork.objects.get()
    assert partner.website == "https://mercociudades.org" and partner.is_forum_partner
    CityFactory(region=home, partner_network=partner)
    page = secretariat.get(f"{BASE}/partners/").content.decode()
    assert "Mercociudades" in page and "approaches need an engagement clearance" in page
    secretariat.post(f"{BASE}/partners/{partner.pk}/", {"delete": "1"})
    with scope(region=home):
        assert not PartnerNetwork.objects.exists()
        assert City.objects.get().partner_network is None


# -- who may open what -------------------------------------------------------------------------

def _region_objects(region):
    city = CityFactory(region=region)
    contact = ContactFactory(city=city, is_national_government=True)
    letter = LetterFactory(city=city, contact=contact, kind=LetterKind.LETTER_OF_INTENT,
                           state=State.SENT)
    LetterOfIntentFactory(letter=letter)
    return {"letter": letter.pk, "contact": contact.pk,
            "template": LetterTemplateFactory(region=region).pk,
            "partner": PartnerNetworkFactory(region=region).pk,
            "material": MaterialFactory(region=region).pk}


def _urls(ids):
    letter = f"letters/{ids['letter']}"
    return [f"letters/{ids['letter']}/", f"{letter}/intent/", f"{letter}/intent/pdf/",
            f"templates/{ids['template']}/", f"partners/{ids['partner']}/",
            f"materials/{ids['material']}/download/"]


def test_another_regions_objects_are_not_found_from_here(cast, home, secretariat):
    foreign = _region_objects(cast.foreign.region)
    for path in _urls(foreign):
        assert secretariat.get(f"{BASE}/{path}").status_code == 404, path
    for path in ("send/", "answer/", "request-approval/", "intent/signed-copy/"):
        response = secretariat.post(f"{BASE}/letters/{foreign['letter']}/{path}")
        assert response.status_code == 404, path
    assert secretariat.post(f"{BASE}/contacts/{foreign['contact']}/clearance/"
                            ).status_code == 404
    assert secretariat.get("/r/borealis/outreach/letters/").status_code == 404
    assert _get(cast.foreign.region, Letter, foreign["letter"]).state == State.SENT


@pytest.mark.parametrize("role", ["city_contact", "expert"])
def test_city_contacts_and_experts_see_only_the_materials(cast, home, client, role):
    ids = _region_objects(home)
    client.force_login(cast.home.by_role(role))
    for path in ["letters/", "letters/new/", "templates/", "partners/",
                 *_urls(ids)[:-1]]:
        assert client.get(f"{BASE}/{path}").status_code == 403, path
    assert client.post(f"{BASE}/contacts/{ids['contact']}/clearance/").status_code == 403
    assert client.get(f"{BASE}/materials/").status_code == 200


def test_a_forum_reviewer_reads_letters_but_changes_nothing(cast, home, client):
    ids = _region_objects(home)
    client.force_login(cast.home.forum_reviewer)
    assert client.get(f"{BASE}/letters/{ids['letter']}/").status_code == 200
    assert client.get(f"{BASE}/letters/{ids['letter']}/intent/").status_code == 302
    for path in ("send/", "answer/", "request-approval/", ""):
        assert client.post(f"{BASE}/letters/{ids['letter']}/{path}").status_code == 403, path
    assert client.get(f"{BASE}/templates/{ids['template']}/").status_code == 403
    assert client.post(f"{BASE}/partners/{ids['partner']}/",
                       {"delete": "1"}).status_code == 403


def test_outsiders_never_reach_a_region(cast, home, client):
    ids = _region_objects(home)
    client.force_login(cast.outsider)
    for path in ["letters/", *_urls(ids)]:
        assert client.get(f"{BASE}/{path}").status_code == 404, path


def test_the_navigation_offers_letters_and_materials_by_role(cast, client):
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/").content.decode()
    # One "Outreach" item; the area's own menu holds templates, partners and materials.
    assert f'href="{BASE}/letters/"' in page and f'href="{BASE}/materials/"' not in page
    letters = client.get(f"{BASE}/letters/").content.decode()
    assert f'href="{BASE}/materials/"' in letters and f'href="{BASE}/partners/"' in letters
    client.force_login(cast.home.city_contact)
    page = client.get("/r/aurora/").content.decode()
    assert f'href="{BASE}/letters/"' not in page and f'href="{BASE}/materials/"' in page


# -- query counts -------------------------------------------------------------------------------

def _letters(home, n):
    for _ in range(n):
        _letter(home, owner=UserFactory(), state=State.SENT)


def _partners(home, n):
    for partner in PartnerNetworkFactory.create_batch(n, region=home):
        CityFactory(region=home, partner_network=partner)


LISTS = {
    "letters": ("letters/", Role.REGIONAL_SECRETARIAT, _letters),
    "templates": ("templates/", Role.REGIONAL_SECRETARIAT,
                  lambda home, n: LetterTemplateFactory.create_batch(n, region=home)),
    "partners": ("partners/", Role.REGIONAL_SECRETARIAT, _partners),
    "materials": ("materials/", Role.CITY_CONTACT, lambda home, n: [
        MaterialFactory(region=home, uploaded_by=UserFactory()) for _ in range(n)]),
}


@pytest.mark.parametrize("page", sorted(LISTS))
def test_list_pages_do_not_grow_their_queries_with_rows(cast, home, client, page):
    path, role, seed = LISTS[page]
    client.force_login(cast.home.by_role(role))
    seed(home, 2)

    def fetch():
        assert client.get(f"{BASE}/{path}").status_code == 200

    fetch()
    assert_flat_queries(fetch, lambda: seed(home, 20))


def test_a_letter_page_with_a_long_history_stays_flat(cast, home, secretariat):
    official = ContactFactory(city=CityFactory(region=home), is_forum_partner=True)
    letter = _letter(home, city=official.city, contact=official, kind=LetterKind.INVITATION)
    letter_type = ContentType.objects.get_for_model(Letter)

    def grow():
        for _ in range(20):
            AuditEntryFactory(region=home, actor=UserFactory(), content_type=letter_type,
                              object_id=letter.pk)

    def fetch():
        assert secretariat.get(f"{BASE}/letters/{letter.pk}/").status_code == 200

    fetch()
    assert_flat_queries(fetch, grow)
