"""How the core's audit entries read on a history (alliance.services.audit.describe)."""

from django.utils.translation import gettext_lazy as _

from .approvals import KINDS, label_of, title_of
from .models import ApprovalRequest, Region
from .services.audit import describe_as
from .wording import field_names

DECISION = ApprovalRequest.State


def _asked(data: dict):
    """A request as its kind words it ("… asked for legal approval: …"), or in general."""
    kind = KINDS.get(str(data.get("kind")))
    return (kind.asked if kind and kind.asked
            else _("%(actor)s asked for a decision (%(kind)s): %(summary)s"))


# What was asked, worded now from the request's kind and values; the stored summary for
# entries written before requests kept their values.
ASKED_LABELS = {
    "kind": lambda data: label_of(str(data.get("kind"))),
    "summary": lambda data: title_of(str(data.get("kind")), data.get("title_values") or {},
                                     fallback=data.get("summary", "")),
}


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("alliance.approval.requested", _asked, labels=ASKED_LABELS)
    describe_as("alliance.approval.decided", _("%(actor)s decided: %(new)s"),
                labels={"old": DECISION, "new": DECISION})
    describe_as("alliance.invitation.created", _("%(actor)s invited %(email)s"))
    describe_as("alliance.invitation.resent", _("%(actor)s sent the invitation again with a new "
                                                "link"))
    describe_as("alliance.invitation.revoked", _("%(actor)s withdrew the invitation"))
    describe_as("alliance.invitation.accepted", _("%(actor)s accepted the invitation"))
    describe_as("alliance.invitation.approval_decided", _("%(actor)s decided on the invitation: "
                                                          "%(decision)s"),
                labels={"decision": DECISION})
    describe_as("alliance.region.changed", _("%(actor)s changed the region's settings "
                                             "(%(fields)s)"),
                labels={"fields": field_names(Region)})
    describe_as("alliance.membership.removed", _("%(actor)s removed %(user)s's role %(role)s"))
    describe_as("alliance.api_token.created", _("%(actor)s created the API token “%(name)s”"))
    describe_as("alliance.api_token.revoked", _("%(actor)s revoked an API token"))
    # Written only by `make bench` to give pages a long history.
    describe_as("alliance.bench.touched", _("%(actor)s touched this (benchmark data)"))
