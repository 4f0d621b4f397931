"""Small helpers shared by the outreach tests."""

from django_scopes import scope

from alliance.models import ApprovalRequest
from alliance.services import approvals


def approve(user, approval: ApprovalRequest) -> ApprovalRequest:
    """Decide as `user` would on the approval's page."""
    with scope(region=approval.region):
        return approvals.decide(actor=user, approval=approval,
                                decision=ApprovalRequest.State.APPROVED, comment="Fine.")


def pdf_bytes(text: bytes = b"signed") -> bytes:
    return b"%PDF-1.4\n" + text + b"\n%%EOF\n"
