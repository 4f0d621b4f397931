"""Invitation-only sign-up: invite, send, resend, revoke, accept."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import approvals, permissions
from ..errors import DomainError, InvalidInvitation, InvalidTransition
from ..models import ApprovalRequest, Invitation, Membership, Role
from ..signals import invitation_accepted
from ..tenancy import unscoped
from . import audit
from .approvals import request_approval
from .changes import locked, save_changes, save_locked
from .notifications import in_language_of, notify

VALID_FOR = timedelta(days=7)
SALT = "alliance.invitation"
REVIEWER_APPROVAL = "reviewer_invitation"
State = Invitation.State


def _check_may_invite(actor, *, region, role: str) -> None:
    permissions.require(actor, "alliance.invite_member", region=region)
    if role not in permissions.invitable_roles(actor, region):
        raise DomainError(_("You may not invite someone with this role."), field="role")
    if role == Role.GLOBAL_SECRETARIAT and region is not None:
        raise DomainError(_("The Global Secretariat is not tied to a region."), field="region")
    if role not in permissions.GLOBAL_ROLES and region is None:
        raise DomainError(_("Choose the region this person joins."), field="region")


def invite(*, actor, email: str, role: str, region=None) -> Invitation:
    """Invite an address. A forum reviewer waits for the Global Secretariat's approval."""
    email = email.strip().lower()
    _check_may_invite(actor, region=region, role=role)
    if Membership.objects.filter(user__email__iexact=email, region=region, role=role).exists():
        raise DomainError(_("This person already holds this role here."), field="email")
    if Invitation.objects.filter(email__iexact=email, region=region, role=role,
                                 state__in=[State.SENT, State.AWAITING_APPROVAL],
                                 expires_at__gt=timezone.now()).exists():
        raise DomainError(_("An open invitation for this address and role exists; resend it."),
                          field="email")
    needs_approval = role == Role.FORUM_REVIEWER
    with transaction.atomic():
        invitation = Invitation.objects.create(
            region=region, email=email, role=role, invited_by=actor,
            state=State.AWAITING_APPROVAL if needs_approval else State.SENT,
            expires_at=timezone.now() + VALID_FOR,
        )
        audit.record(actor=actor, action="alliance.invitation.created", target=invitation,
                     region=region, email=email, role=role)
        if needs_approval:
            request_approval(actor=actor, target=invitation, kind=REVIEWER_APPROVAL,
                             region=region, title_values={"email": email})
        else:
            _send(invitation)
    return invitation


def invite_colleague(*, actor, email: str, region) -> Invitation:
    """A city contact's colleague, invited as a city contact of the region with no city of
    their own (they answer what is assigned to them). The caller checked the right to hand
    work over and sends the email, with `token_for` the link; an open invitation for the
    address is reused."""
    email = email.strip().lower()
    role = Role.CITY_CONTACT
    open_one = Invitation.objects.filter(email__iexact=email, region=region, role=role,
                                         state=State.SENT, expires_at__gt=timezone.now()).first()
    if open_one is not None:
        return open_one
    invitation = Invitation.objects.create(
        region=region, email=email, role=role, invited_by=actor, state=State.SENT,
        expires_at=timezone.now() + VALID_FOR, sent_at=timezone.now())
    audit.record(actor=actor, action="alliance.invitation.created", target=invitation,
                 region=region, email=email, role=role)
    return invitation


def resend(*, actor, invitation: Invitation) -> Invitation:
    """A fresh link valid for 7 more days; the old link stops working."""
    permissions.require(actor, "alliance.invite_member", region=invitation.region)
    with transaction.atomic():
        # Lock first: an acceptance or a revocation at the same moment wins or waits.
        invitation = locked(invitation, "region")
        if not invitation.can_resend:
            raise InvalidTransition(_("Only a sent invitation can be resent."))
        invitation, _changed = save_locked(
            actor=actor, row=invitation, editable=("nonce", "expires_at"),
            changes={"nonce": invitation.nonce + 1, "expires_at": timezone.now() + VALID_FOR},
            action="alliance.invitation.resent")
        _send(invitation)
    return invitation


def revoke(*, actor, invitation: Invitation) -> Invitation:
    permissions.require(actor, "alliance.invite_member", region=invitation.region)
    with transaction.atomic():
        invitation, _changed = save_changes(
            actor=actor, obj=invitation, changes={"state": State.REVOKED}, editable=("state",),
            check=_require_revocable, action="alliance.invitation.revoked",
            related=("region",))
    return invitation


def _require_revocable(invitation: Invitation) -> None:
    if not invitation.can_revoke:
        raise InvalidTransition(_("This invitation can no longer be revoked."))


def _send(invitation: Invitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    link = reverse("invitation-accept", kwargs={"token": token_for(invitation)})
    context = {"invitation": invitation, "link": link, "valid_days": VALID_FOR.days,
               "base_url": settings.PORTAL_BASE_URL}
    with in_language_of(None, invitation.region):
        subject = _("You are invited to the Alliance Portal")
        body = render_to_string("alliance/email/invitation.txt", context)
    # The invitee has no account yet: the outbox row carries the address. Keyed by the nonce,
    # so each resend (a new link) is one mail and a retry or sweep sends none twice.
    notify(email=invitation.email, key=f"invitation:{invitation.pk}:sent:{invitation.nonce}",
           subject=subject, body=body, region=invitation.region)


def token_for(invitation: Invitation) -> str:
    return signing.dumps({"id": invitation.pk, "n": invitation.nonce}, salt=SALT)


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names, or InvalidInvitation with the reason."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        raise InvalidInvitation(
            _("This invitation link has expired. Ask for a new one.")) from None
    except signing.BadSignature:
        raise InvalidInvitation(_("This invitation link is not valid.")) from None
    with unscoped(reason="an invitation link names its own invitation, in any region"):
        invitation = Invitation.objects.select_related("region", "invited_by").filter(
            pk=payload["id"]).first()
    if invitation is None or invitation.nonce != payload["n"]:
        raise InvalidInvitation(_("This invitation link was replaced by a newer one."))
    if invitation.state == State.ACCEPTED:
        raise InvalidInvitation(_("This invitation was already used."))
    if invitation.state != State.SENT:
        raise InvalidInvitation(_("This invitation was withdrawn."))
    if invitation.is_expired:
        raise InvalidInvitation(_("This invitation link has expired. Ask for a new one."))
    return invitation


def accept(*, token: str, user=None, full_name: str = "", password: str = ""):
    """Accept with a new account (no user) or as the signed-in user whose email matches."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        with unscoped(reason="the invitation row is locked by its id from the signed link"):
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != State.SENT:
            raise InvalidInvitation(_("This invitation was already used."))
        if user is None:
            user = _create_account(invitation.email, full_name, password)
        elif user.email.lower() != invitation.email.lower():
            raise InvalidInvitation(
                _("This invitation is for %(email)s. Sign out and open the link again.")
                % {"email": invitation.email})
        Membership.objects.get_or_create(user=user, region=invitation.region, role=invitation.role)
        invitation.state = State.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["state", "accepted_at", "accepted_by"])
        audit.record(actor=user, action="alliance.invitation.accepted", target=invitation,
                     region=invitation.region)
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user, invitation


def _create_account(email: str, full_name: str, password: str):
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInvitation(_("An account for %(email)s exists: sign in, then open the link.")
                                % {"email": email})
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    # Following the emailed link proves the address.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _on_reviewer_decided(*, approval: ApprovalRequest, actor) -> None:
    # Lock first: the invitation may have been revoked while it waited for the decision.
    invitation = locked(approval.target, "region")
    waiting = invitation.state == State.AWAITING_APPROVAL
    if waiting and approval.state == ApprovalRequest.State.APPROVED:
        invitation.state = State.SENT
        invitation.expires_at = timezone.now() + VALID_FOR
        invitation.save(update_fields=["state", "expires_at"])
        _send(invitation)
    elif waiting and approval.state == ApprovalRequest.State.REJECTED:
        invitation.state = State.REJECTED
        invitation.save(update_fields=["state"])
    audit.record(actor=actor, action="alliance.invitation.approval_decided", target=invitation,
                 region=invitation.region, decision=approval.state)


# Registered from AllianceConfig.ready().
REVIEWER_APPROVAL_KIND = approvals.ApprovalKind(
    code=REVIEWER_APPROVAL, label=gettext_lazy("Forum reviewer invitation"),
    route_role=Role.GLOBAL_SECRETARIAT, on_decided=_on_reviewer_decided,
    target_url=lambda approval: (
        reverse("invitation-detail", kwargs={"region_slug": approval.region.slug,
                                             "invitation_id": approval.object_id})
        if approval.region_id else
        reverse("global:invitation-detail", kwargs={"invitation_id": approval.object_id})),
    subject_template="alliance/_approval_invitation.html",
    subject_context=lambda approval: {"invitation": approval.target},
    asked=gettext_lazy("%(actor)s asked to invite a Forum reviewer: %(summary)s"),
    title=gettext_lazy("Invite %(email)s as Forum reviewer"),
)
