"""Two people acting on the same invitation at once."""

import pytest
from django_scopes import scope

from alliance.errors import InvalidTransition
from alliance.models import AuditEntry, Invitation
from alliance.services import invitations
from tests.concurrency import on_postgresql, race
from tests.factories import InvitationFactory


@on_postgresql
def test_an_invitation_revoked_at_the_same_moment_is_not_resent(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    invitation = InvitationFactory(region=region, invited_by=rs)
    with scope(region=region):
        # The page that shows the resend button read the invitation before the revocation.
        stale = Invitation.objects.get(pk=invitation.pk)
    with pytest.raises(InvalidTransition):
        race(region,
             lambda: invitations.revoke(actor=rs, invitation=invitation),
             lambda: invitations.resend(actor=rs, invitation=stale))
    with scope(region=region):
        invitation = Invitation.objects.get(pk=invitation.pk)
        assert not AuditEntry.objects.filter(action="alliance.invitation.resent").exists()
    assert (invitation.state, invitation.nonce) == (Invitation.State.REVOKED, 0)


def test_a_revocation_is_audited_with_the_state_before_and_after(cast):
    region, rs = cast.home.region, cast.home.regional_secretariat
    invitation = InvitationFactory(region=region, invited_by=rs)
    with scope(region=region):
        invitations.revoke(actor=rs, invitation=invitation)
        entry = AuditEntry.objects.get(action="alliance.invitation.revoked")
    assert entry.data["state"] == {"old": "sent", "new": "revoked"}
