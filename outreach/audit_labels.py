"""How outreach audit entries read on a timeline (a letter's history, a city's timeline)."""

from django.utils.translation import gettext_lazy as _

from alliance.models import ApprovalRequest
from alliance.services.audit import describe_as
from alliance.wording import field_names
from cities.models import PartnerNetwork

from .models import Letter, LetterTemplate

DECISION = {"decision": ApprovalRequest.State}


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("outreach.letter.drafted", _("Letter drafted"))
    describe_as("outreach.letter.changed", _("Letter edited (%(fields)s)"),
                labels={"fields": field_names(Letter)})
    describe_as("outreach.letter.sent", _("Letter sent"))
    describe_as("outreach.letter.answered", _("Answer recorded"))
    describe_as("outreach.letter.no_answer", _("Recorded as unanswered"))
    describe_as("outreach.letter.approval_requested",
                _("%(actor)s asked the Global Secretariat for legal approval of this letter"))
    describe_as("outreach.letter.approval_decided", _("%(actor)s decided on legal approval: "
                                                      "%(decision)s"), labels=DECISION)
    describe_as("outreach.letter.follow_up_proposed", _("No answer in time: follow-up drafted"))
    describe_as("outreach.letter.intent_saved", _("Letter of intent content saved"))
    describe_as("outreach.letter.signed_copy_uploaded", _("Signed copy uploaded"))
    describe_as("outreach.clearance.requested",
                _("%(actor)s asked for engagement clearance to approach %(contact)s"))
    describe_as("outreach.clearance.decided",
                _("%(actor)s decided on engagement clearance for %(contact)s: %(decision)s"),
                labels=DECISION)
    describe_as("outreach.template.created", _("Template created"))
    describe_as("outreach.template.changed", _("Template edited (%(fields)s)"),
                labels={"fields": field_names(LetterTemplate)})
    describe_as("outreach.template.deleted", _("Template deleted"))
    describe_as("outreach.partner_network.created", _("Partner network added"))
    describe_as("outreach.partner_network.changed", _("Partner network edited (%(fields)s)"),
                labels={"fields": field_names(PartnerNetwork)})
    describe_as("outreach.partner_network.deleted", _("Partner network deleted"))
    describe_as("outreach.material.uploaded", _("Material uploaded"))
