"""Terms of Reference: versions kept globally and per region, an expert's acceptance online
(and the confirmation it brings), the PDF of what they accepted, the invitation's landing."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from alliance.errors import DomainError, InvalidTransition
from alliance.models import AuditEntry, Invitation, Role
from alliance.services import invitations
from experts.models import Expert, Stage, TermsAcceptance, TermsVersion
from experts.queries import current_terms
from experts.services import terms as terms_service
from experts.starter_terms import default_text, seed_global_terms
from tests.experts.factories import ExpertFactory, TermsAcceptanceFactory, TermsVersionFactory
from tests.factories import InvitationFactory
from tests.querycount import assert_flat_queries

pytestmark = pytest.mark.django_db


def _accept_url(region):
    return reverse("terms-accept", kwargs={"region_slug": region.slug})


@pytest.fixture
def world(cast):
    """The home region's expert record of the cast's expert (invited), and a published global
    version."""
    region = cast.home.region
    expert = ExpertFactory(region=region, name="Aiko Tanaka", user=cast.home.expert,
                           stage=Stage.INVITED)
    terms = TermsVersionFactory(version="3.1")
    return region, expert, terms


def test_accepting_records_version_hash_and_address_and_confirms_the_invited_expert(
        cast, client_for, world):
    region, expert, terms = world
    client = client_for(cast.home.expert)
    page = client.get(_accept_url(region))
    assert "Members keep what they learn" in page.content.decode()

    response = client.post(_accept_url(region), {"accept": "on", "typed_name": " aiko  TANAKA "},
                           REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    with scope(region=region):
        acceptance = TermsAcceptance.objects.get(expert=expert)
        expert.refresh_from_db()
        moves = list(expert.stage_changes.values_list("from_stage", "to_stage"))
    assert acceptance.terms == terms
    assert acceptance.content_hash == terms.content_hash
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user == cast.home.expert
    assert acceptance.typed_name == "aiko TANAKA"
    assert expert.stage == Stage.CONFIRMED
    assert moves == [(Stage.INVITED, Stage.CONFIRMED)]
    again = client.get(_accept_url(region)).content.decode()
    assert "You accepted version 3.1 on" in again and 'name="typed_name"' not in again


def test_a_wrong_name_is_refused_on_its_field_and_changes_nothing(cast, client_for, world):
    region, expert, _terms = world
    response = client_for(cast.home.expert).post(
        _accept_url(region), {"accept": "on", "typed_name": "Someone Else"})

    assert response.status_code == 200
    assert "Type your full name as the portal knows it: Aiko Tanaka." in response.content.decode()
    with scope(region=region):
        expert.refresh_from_db()
        assert not TermsAcceptance.objects.exists()
        assert not AuditEntry.objects.filter(action="experts.terms.accepted").exists()
    assert expert.stage == Stage.INVITED


def test_accepting_without_ticking_is_refused(cast, client_for, world):
    region, _expert, _terms = world
    response = client_for(cast.home.expert).post(_accept_url(region),
                                                 {"typed_name": "Aiko Tanaka"})
    assert "Tick that you have read and accept" in response.content.decode()
    with scope(region=region):
        assert not TermsAcceptance.objects.exists()


def test_the_name_of_the_account_is_accepted_too(cast, world):
    region, expert, terms = world
    with scope(region=region):
        acceptance = terms_service.accept_terms(
            actor=cast.home.expert, expert=expert, terms=terms,
            typed_name=cast.home.expert.full_name.upper(), accepted=True)
    assert acceptance.pk


def test_nobody_accepts_for_another_expert(cast, world):
    region, _expert, terms = world
    other = ExpertFactory(region=region, name="Other", stage=Stage.INVITED)
    with scope(region=region), pytest.raises(DomainError):
        terms_service.accept_terms(actor=cast.home.expert, expert=other, terms=terms,
                                   typed_name="Other", accepted=True)


def test_the_pdf_holds_the_text_and_the_acceptance_record(cast, client_for, world):
    region, expert, terms = world
    acceptance = TermsAcceptanceFactory(expert=expert, terms=terms, user=cast.home.expert,
                                        typed_name="Aiko Tanaka", ip_address="198.51.100.4")
    url = reverse("terms-acceptance-pdf", kwargs={"region_slug": region.slug,
                                                  "acceptance_id": acceptance.pk})
    response = client_for(cast.home.expert).get(url)

    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    flat = "".join(text.split())
    assert "Members keep what they learn in working groups confidential" in " ".join(text.split())
    assert "Acceptance record" in text and "Aiko Tanaka" in text
    assert "3.1" in text and "198.51.100.4" in text
    assert terms.content_hash in flat
    # The secretariat may download it too; another expert of the region may not.
    assert client_for(cast.home.regional_secretariat).get(url).status_code == 200
    assert client_for(cast.home.city_contact).get(url).status_code == 403


def test_a_draft_is_editable_and_a_published_version_never_changes(cast, client_for):
    region = cast.home.region
    client = client_for(cast.home.regional_secretariat)
    response = client.post(reverse("terms-create", kwargs={"region_slug": region.slug}), {
        "title": "Aurora expert terms", "version": "1.0", "effective_on": "2026-12-01",
        "body": "<h2>Confidentiality</h2><p onclick='x()'>Keep it <em>safe</em>.</p>"
                "<script>alert(1)</script><img src=x>"})
    assert response.status_code == 302
    terms = TermsVersion.objects.get(region=region, version="1.0")
    assert terms.body == "<h2>Confidentiality</h2><p>Keep it <em>safe</em>.</p>"
    edit = reverse("terms-edit", kwargs={"region_slug": region.slug, "terms_id": terms.pk})
    client.post(edit, {"title": "Aurora expert terms", "version": "1.0",
                       "effective_on": "2026-12-01", "body": "<p>Second draft.</p>"})
    terms.refresh_from_db()
    assert terms.body == "<p>Second draft.</p>"
    detail = reverse("terms-detail", kwargs={"region_slug": region.slug, "terms_id": terms.pk})
    assert "Terms of Reference draft edited (text)" in client.get(detail).content.decode()

    client.post(reverse("terms-publish", kwargs={"region_slug": region.slug,
                                                 "terms_id": terms.pk}))
    terms.refresh_from_db()
    assert terms.is_published
    assert terms.content_hash == terms_service.hash_of("<p>Second draft.</p>")

    response = client.post(edit, {"title": "Changed", "version": "1.0",
                                  "effective_on": "2026-12-01", "body": "<p>Changed.</p>"})
    assert response.status_code == 302
    terms.refresh_from_db()
    assert terms.body == "<p>Second draft.</p>" and terms.title == "Aurora expert terms"
    with scope(region=region), pytest.raises(InvalidTransition):
        terms_service.update_terms(actor=cast.home.regional_secretariat, terms=terms,
                                   title="x", version="1.0", body="<p>x</p>",
                                   effective_on=datetime.date(2026, 12, 1))


def test_a_new_version_starts_from_the_published_one(cast, client_for):
    region = cast.home.region
    terms = TermsVersionFactory(region=region, version="2.4")
    page = client_for(cast.home.regional_secretariat).get(
        reverse("terms-create", kwargs={"region_slug": region.slug}) + f"?from={terms.pk}")
    html = page.content.decode()
    assert 'value="2.5"' in html and "Members keep what they learn" in html


def test_a_version_number_is_not_taken_twice(cast, client_for):
    region = cast.home.region
    TermsVersionFactory(region=region, version="1.0")
    response = client_for(cast.home.regional_secretariat).post(
        reverse("terms-create", kwargs={"region_slug": region.slug}),
        {"title": "T", "version": "1.0", "effective_on": "2026-12-01", "body": "<p>x</p>"})
    assert response.status_code == 200
    assert "Version “1.0” exists already" in response.content.decode()
    assert TermsVersion.objects.filter(region=region).count() == 1


def test_a_regions_own_version_wins_over_the_global_one(cast, client_for, world):
    region, _expert, global_terms = world
    own = TermsVersionFactory(region=region, version="R1", title="Aurora's own terms",
                              effective_on=datetime.date(2025, 6, 1))
    TermsVersionFactory(region=region, version="R2", published_at=None)  # a draft
    TermsVersionFactory(region=cast.foreign.region, version="F1")
    with scope(region=region):
        assert current_terms(region) == own
    with scope(region=cast.foreign.region):
        assert current_terms(cast.foreign.region).version == "F1"
    page = client_for(cast.home.expert).get(_accept_url(region)).content.decode()
    assert "Aurora&#x27;s own terms R1" in page and global_terms.version not in page


def test_the_global_secretariat_keeps_the_global_versions(cast, client_for):
    client = client_for(cast.global_secretariat)
    response = client.post(reverse("global:terms-create"), {
        "title": "Expert Terms of Reference", "version": "4.0", "effective_on": "2027-01-01",
        "body": "<p>Global text.</p>"})
    terms = TermsVersion.objects.get(version="4.0")
    assert response.status_code == 302 and terms.region is None
    client.post(reverse("global:terms-publish", kwargs={"terms_id": terms.pk}))
    terms.refresh_from_db()
    assert terms.is_published
    assert "Expert Terms of Reference" in client.get(reverse("global:terms-list")).content.decode()
    # A regional secretariat keeps only its region's own.
    rs = client_for(cast.home.regional_secretariat)
    assert rs.get(reverse("global:terms-list")).status_code in (403, 404)
    assert rs.get(reverse("terms-edit", kwargs={"region_slug": cast.home.region.slug,
                                                "terms_id": terms.pk})).status_code == 404


def test_the_detail_page_shows_who_accepted_which_version(cast, client_for, world):
    region, expert, terms = world
    old = TermsVersionFactory(version="3.0", effective_on=datetime.date(2025, 1, 1))
    late = ExpertFactory(region=region, name="Late Lee", stage=Stage.ACTIVE)
    TermsAcceptanceFactory(expert=late, terms=old)
    TermsAcceptanceFactory(expert=expert, terms=terms)
    ExpertFactory(region=region, name="Candidate Cho", stage=Stage.CANDIDATE)
    url = reverse("terms-detail", kwargs={"region_slug": region.slug, "terms_id": terms.pk})
    client = client_for(cast.home.regional_secretariat)
    html = client.get(url).content.decode()

    assert "1 of 2 experts accepted this version; 1 have not." in html
    assert html.index("Late Lee") < html.index("Aiko Tanaka")  # those missing first
    assert 'class="table-warning"' in html and "Candidate Cho" not in html
    missing = client.get(url + "?missing=1").content.decode()
    assert "Late Lee" in missing and "Aiko Tanaka" not in missing

    def grow():
        for n in range(30):
            person = ExpertFactory(region=region, name=f"Grown {n}", stage=Stage.CONFIRMED)
            TermsAcceptanceFactory(expert=person, terms=old)

    assert_flat_queries(lambda: client.get(url), grow)


def test_the_accept_page_costs_the_same_with_many_versions(cast, client_for, world):
    region, _expert, _terms = world
    client = client_for(cast.home.expert)
    client.get(_accept_url(region))
    assert_flat_queries(lambda: client.get(_accept_url(region)),
                        lambda: [TermsVersionFactory() for _ in range(10)])


def test_an_invited_expert_lands_on_the_terms_and_their_account_is_linked(cast, client):
    region = cast.home.region
    TermsVersionFactory(version="3.1")
    invitation = InvitationFactory(region=region, role=Role.EXPERT, email="new@example.org")
    expert = ExpertFactory(region=region, name="New Expert", email="new@example.org",
                           stage=Stage.INVITED, invitation=invitation)
    token = invitations.token_for(invitation)
    response = client.post(reverse("invitation-accept", kwargs={"token": token}), {
        "full_name": "New Expert", "password1": "a-long-pass-phrase-9",
        "password2": "a-long-pass-phrase-9"})

    assert response.status_code == 302
    assert response["Location"] == _accept_url(region)
    with scopes_disabled():
        expert.refresh_from_db()
        invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert expert.user is not None and expert.user.email == "new@example.org"
    assert 'name="typed_name"' in client.get(response["Location"]).content.decode()


def test_another_invitation_still_lands_at_home(cast, client):
    invitation = InvitationFactory(region=cast.home.region, role=Role.CITY_CONTACT,
                                   email="contact@example.org")
    response = client.post(
        reverse("invitation-accept", kwargs={"token": invitations.token_for(invitation)}),
        {"full_name": "C", "password1": "a-long-pass-phrase-9",
         "password2": "a-long-pass-phrase-9"})
    assert response["Location"] == reverse("home")


def test_the_default_text_has_confidentiality_and_membership_and_the_demo_seeds_it_once(
        cast):
    text = default_text()
    for heading in ("Purpose", "Membership", "Confidentiality", "Conduct",
                    "Term and withdrawal"):
        assert heading in text
    seed_global_terms(cast.home.region, cast.home.regional_secretariat)
    seed_global_terms(cast.foreign.region, cast.foreign.regional_secretariat)
    terms = TermsVersion.objects.get(region__isnull=True, version="3.1")
    assert terms.is_published and terms.content_hash == terms_service.hash_of(terms.body)


def test_an_expert_without_a_record_is_told_so(cast, client_for):
    TermsVersionFactory()
    with scopes_disabled():
        assert not Expert.objects.filter(user=cast.home.expert).exists()
    html = client_for(cast.home.expert).get(_accept_url(cast.home.region)).content.decode()
    assert "not linked to an expert record" in html


def test_the_text_keeps_headings_lists_emphasis_and_links_only():
    dirty = ('<h2 style="color:red">Membership</h2><p>Read <a href="javascript:alert(1)">this'
             '</a> and <a href="https://example.org/rules" onclick="x()">the rules</a>.</p>'
             '<table><tr><td>cell</td></tr></table><p><br></p><ol><li><strong>One</strong>'
             '</li></ol><iframe src="https://example.org"></iframe>')
    assert terms_service.sanitize(dirty) == (
        '<h2>Membership</h2><p>Read <a rel="noopener noreferrer nofollow">this</a> and '
        '<a href="https://example.org/rules" rel="noopener noreferrer nofollow">the rules</a>.'
        '</p>cell<ol><li><strong>One</strong></li></ol>')


def test_only_the_secretariat_keeps_the_terms_and_an_outsider_finds_nothing(cast, client_for):
    region = cast.home.region
    terms = TermsVersionFactory(region=region)
    pages = [reverse("terms-list", kwargs={"region_slug": region.slug}),
             reverse("terms-detail", kwargs={"region_slug": region.slug, "terms_id": terms.pk})]
    for url in pages:
        assert client_for(cast.home.city_contact).get(url).status_code == 403
        assert client_for(cast.home.expert).get(url).status_code == 403
        assert client_for(cast.outsider).get(url).status_code == 404
        assert client_for(cast.home.regional_secretariat).get(url).status_code == 200
    assert client_for(cast.home.regional_secretariat).get(
        _accept_url(region)).status_code == 403


def test_the_first_version_starts_from_the_standard_text(cast, client_for):
    html = client_for(cast.global_secretariat).get(reverse("global:terms-create")).content
    assert b"Confidentiality" in html and b"Term and withdrawal" in html
