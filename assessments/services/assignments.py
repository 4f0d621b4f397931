"""Sections of a city's assessment handed to colleagues in other departments.

The city contact names a colleague; the colleague gets an invitation (a city contact of the
region with no city of their own) and, once they have an account, an object grant
(django-guardian `assessments.answer_section`) on the assignment: they see and answer that
section only. Removing the assignment revokes the grant."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError, InvalidTransition
from alliance.models import Membership
from alliance.services import audit
from alliance.services.changes import locked
from alliance.services.invitations import VALID_FOR, invite_colleague, token_for
from alliance.services.notifications import in_language_of, notify
from alliance.tenancy import region_scope

from ..models import Assessment, Section, SectionAssignment
from .answering import access_of, require_open

GRANT = "assessments.answer_section"


def _require_contact(actor, assessment: Assessment) -> None:
    access = access_of(actor, assessment)
    if access is None or not access.may_assign:
        raise PermissionDenied(_("Only the city's contact hands sections to colleagues."))


@transaction.atomic
def assign(*, actor, assessment: Assessment, section: Section, email: str, name: str = "",
           department: str = "") -> SectionAssignment:
    """Hand `section` to the colleague at `email`: granted at once when they have an
    account, else invited by email (the grant follows their acceptance)."""
    _require_contact(actor, assessment)
    row = locked(assessment, "region", "campaign", "city")
    require_open(row)
    if section.version_id != row.campaign.version_id:
        raise DomainError(_("This section is not part of this assessment."), field="section")
    email = email.strip().lower()
    if email == (actor.email or "").lower():
        raise DomainError(_("You answer this section yourself: name a colleague."),
                          field="email")
    if SectionAssignment.objects.filter(assessment=row, section=section, email__iexact=email,
                                        removed_at=None).exists():
        raise DomainError(_("This colleague already has this section."), field="email")
    assignment = SectionAssignment.objects.create(
        region_id=row.region_id, assessment=row, section=section, email=email,
        name=name.strip(), department=department.strip(), assigned_by=actor)
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        _grant(assignment, user)
    if user is not None and Membership.objects.filter(user=user, region=row.region).exists():
        _tell_assignee(assignment, row, link=None)
    else:
        assignment.invitation = invite_colleague(actor=actor, email=email, region=row.region)
        assignment.save(update_fields=["invitation"])
        _tell_assignee(assignment, row,
                       link=reverse("invitation-accept",
                                    kwargs={"token": token_for(assignment.invitation)}))
    audit.record(actor=actor, action="assessments.assessment.section_assigned", target=row,
                 region=row.region, section=section.title, email=email)
    return assignment


def _grant(assignment: SectionAssignment, user) -> None:
    permissions.grant(user, GRANT, assignment)
    assignment.assignee = user
    assignment.save(update_fields=["assignee"])


def _tell_assignee(assignment: SectionAssignment, assessment: Assessment, *, link) -> None:
    page = reverse("assessment-detail", kwargs={"region_slug": assessment.region.slug,
                                                "assessment_id": assessment.pk})
    # Someone without a way into the region yet reads it at their address, with the link.
    recipient = assignment.assignee if link is None else None
    context = {"assignment": assignment, "assessment": assessment,
               "section": assignment.section.shown_title, "invitation_link": link,
               "page": page, "base_url": settings.PORTAL_BASE_URL,
               "inviter": assignment.assigned_by, "valid_days": VALID_FOR.days}
    with in_language_of(recipient, assessment.region):
        context["section"] = assignment.section.shown_title
        subject = _("%(city)s: a section of the policy assessment for you") % {
            "city": assessment.city.name}
        body = render_to_string("assessments/email/assessment_assigned.txt", context)
    notify(recipient=recipient, email="" if recipient else assignment.email,
           key=f"assignment:{assignment.pk}:assigned", subject=subject, body=body,
           url=page if recipient else "", region=assessment.region)


@transaction.atomic
def remove(*, actor, assignment: SectionAssignment) -> SectionAssignment:
    """End the assignment: the colleague's grant goes, their answers stay theirs."""
    _require_contact(actor, assignment.assessment)
    row = locked(assignment, "assessment", "section")
    if row.removed_at is not None:
        raise InvalidTransition(_("This assignment was already removed."))
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    if row.assignee_id:
        permissions.revoke(row.assignee, GRANT, row)
    audit.record(actor=actor, action="assessments.assessment.assignment_removed",
                 target=row.assessment, region=row.assessment.region,
                 section=row.section.title, email=row.email)
    return row


def on_invitation_accepted(*, invitation, user) -> None:
    """The colleague has an account now: their assignments from this invitation (or to
    their address, in the invitation's region) are granted."""
    if invitation.region_id is None:
        return
    with region_scope(invitation.region):
        waiting = (SectionAssignment.objects.select_related("assessment", "section")
                   .filter(region=invitation.region, removed_at=None, assignee=None,
                           email__iexact=invitation.email))
        for assignment in waiting:
            _grant(assignment, user)
            audit.record(actor=user, action="assessments.assessment.assignee_joined",
                         target=assignment.assessment, region=invitation.region,
                         section=assignment.section.title,
                         email=assignment.email)


def invitation_accepted_receiver(sender, invitation, user, **kwargs) -> None:
    on_invitation_accepted(invitation=invitation, user=user)
