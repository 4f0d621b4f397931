"""Sections handed to colleagues: the invitation, the grant on acceptance, what the colleague
sees and saves (their section only), attribution, and removal revoking the grant."""

import re

import pytest
from django_scopes import scope

from alliance.models import AuditEntry, Invitation, Notification, Role
from alliance.services import invitations
from alliance.tenancy import unscoped
from assessments.models import Answer, SectionAssignment
from tests.conftest import member
from tests.factories import UserFactory

from .answering_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return build(cast)


@pytest.fixture
def contact(world, cast, client_for):
    return client_for(cast.home.city_contact)


def assign(contact, world, email="aiko@maebashi.example.jp", section=None):
    return contact.post(f"{world.url}assign/", {
        "section": (section or world.security).pk, "email": email, "name": "Aiko Mori",
        "department": "IT"})


def accept_invitation(email, full_name="Aiko Mori"):
    with unscoped(reason="test: the invitation of an address"):
        invitation = Invitation.objects.get(email=email)
    user, _invitation = invitations.accept(token=invitations.token_for(invitation),
                                           full_name=full_name, password="a long passphrase 42")
    return user


def test_assigning_a_section_invites_the_colleague_by_email(world, contact, cast):
    response = assign(contact, world)
    assert response.status_code == 302
    with unscoped(reason="test"):
        invitation = Invitation.objects.get(email="aiko@maebashi.example.jp")
    assert (invitation.role, invitation.region) == (Role.CITY_CONTACT, world.region)
    mail = Notification.objects.get(email="aiko@maebashi.example.jp")
    assert "Security" in mail.body
    assert invitations.token_for(invitation) in mail.body
    assert f"/assessments/{world.assessment.pk}/" in mail.body
    with scope(region=world.region):
        assignment = SectionAssignment.objects.get()
        assert AuditEntry.objects.filter(action="assessments.assessment.section_assigned",
                                         object_id=world.assessment.pk).exists()
    assert assignment.assignee is None
    page = contact.get(world.url).content.decode()
    assert "Aiko Mori" in page and "invited" in page


def test_the_colleague_sees_and_answers_only_their_section(world, contact, cast, client_for):
    assign(contact, world)
    colleague = accept_invitation("aiko@maebashi.example.jp")
    with scope(region=world.region):
        assert SectionAssignment.objects.get().assignee == colleague
    browser = client_for(colleague)
    page = browser.get(world.url).content.decode()
    assert "How mature is security?" in page
    assert "Does the city have a data policy?" not in page
    assert "Submit the assessment" not in page
    saved = browser.post(world.answer_url(world.maturity), {"choice": "3", "revision": 0})
    assert saved.status_code == 200
    refused = browser.post(world.answer_url(world.has_policy), {"choice": "yes", "revision": 0})
    assert refused.status_code == 404
    assert browser.post(f"{world.url}submit/").status_code == 404
    assert browser.get(f"{world.url}assign/").status_code == 404
    with scope(region=world.region):
        assert Answer.objects.get(question=world.maturity).answered_by == colleague
        assert not Answer.objects.filter(question=world.has_policy).exists()
    # Their answers are attributed to them, on the page and in the history; the rest of the
    # history is not theirs to read.
    assert "History" not in browser.get(world.url).content.decode()
    contact.force_login(cast.home.city_contact)
    contact_page = contact.get(world.section_url(world.security)).content.decode()
    assert "by Aiko Mori" in re.sub(r"\s+", " ", contact_page)
    assert "Aiko Mori answered their first question" in contact_page


def test_a_colleague_of_another_assessment_sees_nothing_here(world, cast, client_for):
    other = build(cast, contact=member(Role.CITY_CONTACT, cast.home.region),
                  city_name="Takasaki")
    stranger = member(Role.CITY_CONTACT, world.region)
    with scope(region=world.region):
        SectionAssignment.objects.create(region=world.region, assessment=other.assessment,
                                         section=other.security, email=stranger.email,
                                         assignee=stranger)
    # No grant on this assessment's assignment (and the row names another assessment).
    assert client_for(stranger).get(world.url).status_code == 404


def test_an_existing_account_is_granted_at_once(world, contact, cast, client_for):
    existing = member(Role.CITY_CONTACT, world.region, email="kenji@maebashi.example.jp")
    assign(contact, world, email="kenji@maebashi.example.jp")
    with scope(region=world.region):
        assert SectionAssignment.objects.get().assignee == existing
    assert Notification.objects.filter(recipient=existing).exists()
    assert client_for(existing).get(world.url).status_code == 200


def test_removal_revokes_the_grant(world, contact, cast, client_for):
    existing = member(Role.CITY_CONTACT, world.region, email="kenji@maebashi.example.jp")
    assign(contact, world, email="kenji@maebashi.example.jp")
    with scope(region=world.region):
        assignment = SectionAssignment.objects.get()
    contact.force_login(cast.home.city_contact)
    response = contact.post(f"{world.url}assignments/{assignment.pk}/remove/")
    assert response.status_code == 302
    with scope(region=world.region):
        assignment.refresh_from_db()
    assert assignment.removed_at is not None
    browser = client_for(existing)
    assert browser.get(world.url).status_code == 404
    assert browser.post(world.answer_url(world.maturity),
                        {"choice": "3", "revision": 0}).status_code == 404


def test_bad_assignments_are_refused_on_the_form(world, contact, cast):
    response = assign(contact, world, email="not an address")
    assert response.status_code == 400
    response = assign(contact, world, email=cast.home.city_contact.email)
    assert response.status_code == 400
    assert "name a colleague" in response.content.decode()
    assign(contact, world)
    again = assign(contact, world)
    assert again.status_code == 400
    assert "already has this section" in again.content.decode()
    with scope(region=world.region):
        assert SectionAssignment.objects.count() == 1


def test_only_the_city_contact_assigns(world, cast, client_for):
    for user in (cast.home.regional_secretariat, cast.home.expert, UserFactory()):
        response = client_for(user).post(f"{world.url}assign/", {
            "section": world.security.pk, "email": "x@example.org"})
        assert response.status_code in (403, 404)
    with scope(region=world.region):
        assert not SectionAssignment.objects.exists()
