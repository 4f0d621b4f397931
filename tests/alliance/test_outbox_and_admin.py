"""Invitation emails go through the outbox (an SMTP failure loses nothing); the admin cannot
rewrite decisions or history."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_scopes import scope

from alliance.models import ApprovalRequest, AuditEntry, Notification, Role
from alliance.services import invitations
from alliance.tasks import sweep_notifications
from tests.conftest import with_totp
from tests.factories import ApprovalRequestFactory, AuditEntryFactory, UserFactory


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    return monkeypatch


def test_an_invitation_email_lost_to_smtp_is_delivered_by_the_sweep_once(
        cast, smtp_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), scope(region=cast.home.region):
        invitation = invitations.invite(actor=cast.home.regional_secretariat,
                                        email="new.expert@example.org", role=Role.EXPERT,
                                        region=cast.home.region)
    # The invitation stands; its email waits in the outbox, addressed to someone with no
    # account yet.
    note = Notification.objects.get(key=f"invitation:{invitation.pk}:sent:0")
    assert note.recipient is None and note.email == "new.expert@example.org"
    assert note.delivered_at is None and mail.outbox == []

    smtp_down.undo()
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - timedelta(minutes=10))
    assert sweep_notifications() == 1
    assert sweep_notifications() == 0
    assert [m.to for m in mail.outbox] == [["new.expert@example.org"]]
    assert "/invitations/accept/" in mail.outbox[0].body


def test_a_resent_invitation_is_one_new_email_and_never_in_the_invitees_bell(
        cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), scope(region=cast.home.region):
        invitation = invitations.invite(actor=cast.home.regional_secretariat,
                                        email="twice@example.org", role=Role.EXPERT,
                                        region=cast.home.region)
        invitation = invitations.resend(actor=cast.home.regional_secretariat,
                                        invitation=invitation)
    assert [m.to for m in mail.outbox] == [["twice@example.org"]] * 2
    assert mail.outbox[0].body != mail.outbox[1].body  # a new link
    assert sweep_notifications() == 0
    assert Notification.objects.filter(recipient__isnull=True).count() == 2


# -- the admin -------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, db):
    client.force_login(with_totp(UserFactory(is_staff=True, is_superuser=True)))
    return client


def test_the_admin_cannot_change_an_approvals_decision(cast, admin_client):
    approval = ApprovalRequestFactory(region=cast.home.region, summary="Invite Ana")
    url = f"/admin/alliance/approvalrequest/{approval.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    admin_client.post(url, {"summary": "Invite Ana", "state": "approved",
                            "comment": "forced", "decided_by": cast.global_secretariat.pk})
    with scope(region=cast.home.region):
        approval.refresh_from_db()
    assert approval.state == ApprovalRequest.State.PENDING and approval.decided_by is None
    assert admin_client.get("/admin/alliance/approvalrequest/add/").status_code == 403


def test_audit_entries_are_read_only_in_the_admin(cast, admin_client):
    entry = AuditEntryFactory(region=cast.home.region, action="alliance.region.changed")
    base = "/admin/alliance/auditentry/"
    assert admin_client.get(base).status_code == 200
    page = admin_client.get(f"{base}{entry.pk}/change/").content.decode()
    assert 'name="action"' not in page and "alliance.region.changed" in page
    admin_client.post(f"{base}{entry.pk}/change/", {"action": "rewritten", "data": "{}"})
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(base, {"action": "delete_selected", "_selected_action": [entry.pk],
                             "post": "yes"})
    with scope(region=cast.home.region):
        entry.refresh_from_db()
        assert entry.action == "alliance.region.changed"
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
