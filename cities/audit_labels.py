"""How the city pipeline's audit entries read on a timeline."""

from django.utils.translation import gettext_lazy as _

from alliance.services.audit import describe_as
from alliance.wording import number

from .models import Stage


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("cities.city.created", _("Added to the list"))
    describe_as("cities.city.changed", _("Details changed"))
    describe_as("cities.city.stage_changed", _("Moved from %(old)s to %(new)s"),
                labels={"old": Stage, "new": Stage})
    describe_as("cities.city.scored", _("Selection criteria scored"))
    describe_as("cities.city.tagged", _("Tagged"))
    describe_as("cities.city.merged", _("Merged with the duplicate %(merged)s"))
    describe_as("cities.contact.added", _("Contact %(contact)s added"))
    describe_as("cities.contact.changed", _("Contact %(contact)s changed"))
    describe_as("cities.contact.invited", _("%(contact)s invited to the portal"))
    describe_as("cities.city.owner_assigned", _("Owner changed"))
    describe_as("cities.criterion.added",
                _("Selection criterion %(name)s added (weight %(weight)s)"),
                labels={"weight": number("weight")})
    describe_as("cities.criterion.weighted", _("Selection criterion %(name)s reweighted"))
    describe_as("cities.city.imported", _("%(count)s cities imported from a spreadsheet"),
                labels={"count": number("count")})


def register_dialogues() -> None:
    """The monthly dialogues' entries (called from the app's AppConfig.ready())."""
    from alliance.wording import field_names

    from .models import Dialogue, DialogueFollowUp

    describe_as("cities.dialogue.logged",
                _("Dialogue with %(city)s logged (%(with_whom)s, %(channel)s)"),
                labels={"with_whom": Dialogue.WithWhom, "channel": Dialogue.Channel})
    describe_as("cities.dialogue.changed", _("Dialogue changed (%(fields)s)"),
                labels={"fields": field_names(Dialogue)})
    describe_as("cities.dialogue.follow_up_added", _("Follow-up “%(title)s” added"))
    describe_as("cities.dialogue.follow_up_changed",
                _("Follow-up “%(follow_up)s” changed (%(fields)s)"),
                labels={"fields": field_names(DialogueFollowUp)})
    describe_as("cities.dialogue.follow_up_removed", _("Follow-up “%(title)s” removed"))
    describe_as("cities.dialogue.follow_up_done", _("Follow-up “%(title)s” done"))
    describe_as("cities.dialogue.follow_up_reopened", _("Follow-up “%(title)s” open again"))
