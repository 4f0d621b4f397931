import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scope

from alliance.errors import DomainError, InvalidInvitation
from alliance.models import ApprovalRequest, Invitation, Membership, Role, User
from alliance.services import invitations
from tests.factories import InvitationFactory

NEW_PASSWORD = "a long and unusual passphrase"


def _link(invitation):
    return f"/invitations/accept/{invitations.token_for(invitation)}/"


def _invite(cast, client, email="new.expert@example.org", role=Role.EXPERT):
    client.force_login(cast.home.regional_secretariat)
    return client.post(f"/r/{cast.home.region.slug}/invitations/",
                       {"email": email, "role": role})


def test_a_secretariat_invites_and_the_invitee_joins_the_region(cast, client,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(cast, client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "new.expert@example.org" in mail.outbox[0].to
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    client.logout()

    page = client.get(link)
    assert b"new.expert@example.org" in page.content
    response = client.post(link, {"full_name": "New Expert", "password1": NEW_PASSWORD,
                                  "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new.expert@example.org")
    assert Membership.objects.filter(user=user, region=cast.home.region,
                                     role=Role.EXPERT).exists()
    assert client.get(f"/r/{cast.home.region.slug}/").status_code == 200
    # Wrong region: the invitation opened Aurora only.
    assert client.get(f"/r/{cast.foreign.region.slug}/").status_code == 404


def test_a_link_works_only_once(cast, client):
    invitation = InvitationFactory(region=cast.home.region)
    form = {"full_name": "Once", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_link(invitation), form).status_code == 302
    client.logout()
    second = client.get(_link(invitation))
    assert second.status_code == 410
    assert b"already used" in second.content


def test_an_expired_link_is_refused_and_changes_nothing(cast, client):
    invitation = InvitationFactory(region=cast.home.region,
                                   expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(_link(invitation), {"full_name": "Late", "password1": NEW_PASSWORD,
                                               "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_link_older_than_seven_days_is_refused_by_its_signature(cast, client, monkeypatch):
    invitation = InvitationFactory(region=cast.home.region,
                                   expires_at=timezone.now() + timedelta(days=30))
    link = _link(invitation)
    eight_days_later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: eight_days_later)
    response = client.get(link)
    assert response.status_code == 410
    assert b"expired" in response.content


def test_a_revoked_invitation_cannot_be_accepted(cast, client):
    invitation = InvitationFactory(region=cast.home.region)
    with scope(region=cast.home.region):
        invitations.revoke(actor=cast.home.regional_secretariat, invitation=invitation)
    response = client.get(_link(invitation))
    assert response.status_code == 410
    assert b"withdrawn" in response.content


def test_resend_replaces_the_old_link(cast, client, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(region=cast.home.region)
    old_link = _link(invitation)
    client.force_login(cast.home.regional_secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/r/{cast.home.region.slug}/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    client.logout()
    assert client.get(old_link).status_code == 410
    assert client.get(_link(invitation)).status_code == 200
    assert len(mail.outbox) == 1


def test_a_signed_in_user_with_another_email_cannot_take_the_invitation(cast, client):
    invitation = InvitationFactory(region=cast.home.region, email="someone@example.org",
                                   role=Role.REGIONAL_SECRETARIAT)
    client.force_login(cast.home.expert)
    response = client.post(_link(invitation), follow=True)
    assert b"This invitation is for someone@example.org" in response.content
    assert not Membership.objects.filter(user=cast.home.expert,
                                         role=Role.REGIONAL_SECRETARIAT).exists()
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT


def test_a_weak_password_is_refused_with_a_field_error(cast, client):
    invitation = InvitationFactory(region=cast.home.region)
    response = client.post(_link(invitation), {"full_name": "W", "password1": "password1234",
                                                "password2": "password1234"})
    assert response.status_code == 200
    assert b"too common" in response.content
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_regional_secretariat_cannot_invite_into_another_region(cast, client):
    client.force_login(cast.home.regional_secretariat)
    response = client.post(f"/r/{cast.foreign.region.slug}/invitations/",
                           {"email": "x@example.org", "role": Role.EXPERT})
    assert response.status_code == 404
    with scope(region=None):
        assert not Invitation.objects.filter(email="x@example.org").exists()


def test_a_regional_secretariat_cannot_invite_the_global_secretariat(cast):
    with scope(region=cast.home.region), pytest.raises(DomainError):
        invitations.invite(actor=cast.home.regional_secretariat, email="boss@example.org",
                           role=Role.GLOBAL_SECRETARIAT, region=cast.home.region)


def test_the_list_shows_each_invitations_state(cast, client):
    InvitationFactory(region=cast.home.region, email="sent@example.org")
    InvitationFactory(region=cast.home.region, email="old@example.org",
                      expires_at=timezone.now() - timedelta(days=1))
    InvitationFactory(region=cast.home.region, email="gone@example.org",
                      state=Invitation.State.REVOKED)
    client.force_login(cast.home.regional_secretariat)
    page = client.get(f"/r/{cast.home.region.slug}/invitations/").content.decode()
    for email, state in [("sent@", "Sent"), ("old@", "Expired"), ("gone@", "Revoked")]:
        row = page.split(email, 1)[1].split("</tr>", 1)[0]
        assert state in row


def test_inviting_a_forum_reviewer_waits_for_global_approval(
        cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(cast, client, email="reviewer@example.org", role=Role.FORUM_REVIEWER)
    # Nothing to the invitee yet; the Global Secretariat is asked to decide.
    assert [m.to for m in mail.outbox] == [[cast.global_secretariat.email]]
    with scope(region=cast.home.region):
        invitation = Invitation.objects.get(email="reviewer@example.org")
        approval = ApprovalRequest.objects.get(object_id=invitation.pk)
    assert invitation.state == Invitation.State.AWAITING_APPROVAL
    assert approval.route_role == Role.GLOBAL_SECRETARIAT

    # A regional reviewer cannot clear it; the Global Secretariat can.
    client.force_login(cast.global_secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/global/approvals/{approval.pk}/",
                                {"decision": "approved", "comment": ""})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.SENT
    invite_mail = [m for m in mail.outbox if "reviewer@example.org" in m.to]
    assert len(invite_mail) == 1
    # The requester hears about the decision.
    assert any(cast.home.regional_secretariat.email in m.to for m in mail.outbox)


def test_accepting_outside_the_link_is_refused():
    with pytest.raises(InvalidInvitation):
        invitations.invitation_from_token("garbage")
