"""How the expert pipeline's audit entries read on an expert's history."""

from django.utils.translation import gettext_lazy as _

from alliance.models import ApprovalRequest
from alliance.services.audit import describe_as
from alliance.wording import field_names

from .models import Expert, Interview, Stage, Suitability, TieDecision


def register() -> None:
    """Called from experts.wiring.pipeline.wire()."""
    describe_as("experts.expert.created", _("Added to the pipeline as %(stage)s"),
                labels={"stage": Stage})
    describe_as("experts.expert.updated", _("Details edited (%(fields)s)"),
                labels={"fields": field_names(Expert)})
    describe_as("experts.expert.stage_changed", _("Moved from %(old)s to %(new)s"),
                labels={"old": Stage, "new": Stage})
    describe_as("experts.interview.recorded",
                _("Interview of %(day)s recorded: %(suitability)s"),
                labels={"suitability": Suitability})
    describe_as("experts.interview.updated", _("Interview of %(day)s edited (%(fields)s)"),
                labels={"fields": field_names(Interview)})
    describe_as("experts.conflict.decided", _("Conflict of interest “%(tie)s”: %(new)s"),
                labels={"new": TieDecision, "old": TieDecision})
    describe_as("experts.vetting.requested", _("%(actor)s asked a Forum reviewer to vet the "
                                               "expert"))
    describe_as("experts.clearance.requested", _("%(actor)s asked for the engagement clearance "
                                                 "to approach the expert"))
    describe_as("experts.vetting.decided", _("Vetting decided: %(decision)s"),
                labels={"decision": ApprovalRequest.State})
    describe_as("experts.clearance.decided", _("Engagement clearance decided: %(decision)s"),
                labels={"decision": ApprovalRequest.State})
    describe_as("experts.expert.account_linked", _("%(actor)s signed in to the portal"))
