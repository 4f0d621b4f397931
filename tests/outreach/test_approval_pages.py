"""What a Global Secretariat user or a Forum reviewer reads on an outreach approval's page:
the letter, its terms and PDF; the contact to approach."""

import pytest
from django.core import mail

from alliance.models import Notification
from outreach.models import LetterKind
from outreach.services import letters
from tests.factories import CityFactory, ContactFactory, LetterFactory, LetterOfIntentFactory


@pytest.fixture
def letter_of_intent(home):
    city = CityFactory(region=home, name="Bogotá")
    letter = LetterFactory(city=city, kind=LetterKind.LETTER_OF_INTENT,
                           subject="Joining the alliance",
                           body="Dear Mayor,\n\nBogotá is invited to sign.")
    LetterOfIntentFactory(letter=letter, financials="No fees; travel at the city's cost.")
    return letter


def test_a_legal_approval_tells_the_global_secretariat_and_shows_the_whole_letter(
        cast, rs, in_home, letter_of_intent, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), in_home():
        approval = letters.request_legal_approval(actor=rs, letter=letter_of_intent)
    note = Notification.objects.get(recipient=cast.global_secretariat)
    assert note.url == f"/global/approvals/{approval.pk}/"
    assert [m.to for m in mail.outbox] == [[cast.global_secretariat.email]]

    client.force_login(cast.global_secretariat)
    page = client.get(note.url).content.decode()
    form = page.index("Record decision")
    for text in ("Joining the alliance", "Bogotá is invited to sign.",
                 "No fees; travel at the city&#x27;s cost.", "Two years from signature"):
        assert page.index(text) < form
    pdf = f"/r/aurora/outreach/letters/{letter_of_intent.pk}/intent/pdf/"
    assert f'<iframe class="pdf-preview" src="{pdf}?inline=1"' in page
    assert f'href="{pdf}"' in page  # the plain link where a browser shows no PDF inline


def test_the_pdf_may_be_framed_by_our_own_pages_only_when_previewed(
        cast, letter_of_intent, client):
    client.force_login(cast.global_secretariat)
    url = f"/r/aurora/outreach/letters/{letter_of_intent.pk}/intent/pdf/"
    preview = client.get(url, {"inline": "1"})
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    download = client.get(url)
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in download["Content-Security-Policy"]
    # The approval page itself may frame same-origin content and nothing else.
    page = client.get("/global/")
    assert "default-src 'self'" in page["Content-Security-Policy"]


def test_an_engagement_clearance_shows_the_contact_to_approach(
        cast, home, rs, in_home, client, django_capture_on_commit_callbacks):
    contact = ContactFactory(city=CityFactory(region=home, name="Medellín"), name="Director Abe",
                             title="Vice-minister", is_national_government=True)
    with django_capture_on_commit_callbacks(execute=True), in_home():
        approval = letters.request_engagement_clearance(actor=rs, contact=contact)
    told = {n.recipient for n in Notification.objects.all()}
    assert told == {cast.home.forum_reviewer, cast.global_reviewer}

    client.force_login(cast.home.forum_reviewer)
    page = client.get(f"/r/aurora/approvals/{approval.pk}/").content.decode()
    subject = page[page.index("What you are asked to decide"):page.index("Record decision")]
    assert "Director Abe" in subject and "Vice-minister" in subject and "Medellín" in subject
    assert "National government official</dt><dd>Yes" in subject
    assert "Works at a Forum Partner</dt><dd>No" in subject
