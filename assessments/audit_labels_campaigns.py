"""How campaign audit entries read on a history (a campaign's, an assessment's, the
region's schedule)."""

from django.utils.translation import gettext_lazy as _

from alliance.services.audit import describe_as
from alliance.wording import field_names

from .models import AssessmentSettings, BusyPeriod, Campaign


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("assessments.settings.changed", _("Assessment schedule changed (%(fields)s)"),
                labels={"fields": field_names(AssessmentSettings)})
    describe_as("assessments.busy_period.created", _("Busy period “%(name)s” added"))
    describe_as("assessments.busy_period.changed", _("Busy period edited (%(fields)s)"),
                labels={"fields": field_names(BusyPeriod)})
    describe_as("assessments.busy_period.deleted", _("Busy period “%(name)s” deleted"))
    describe_as("assessments.campaign.created", _("Campaign %(year)s drafted"))
    describe_as("assessments.campaign.prepared",
                _("The annual schedule prepared the campaign %(year)s for review"))
    describe_as("assessments.campaign.changed", _("Campaign edited (%(fields)s)"),
                labels={"fields": field_names(Campaign)})
    describe_as("assessments.campaign.city_added", _("%(city)s added to the cities asked"))
    describe_as("assessments.campaign.city_removed",
                _("%(city)s removed from the cities asked"))
    describe_as("assessments.campaign.launched", _("Launch started for %(cities)s cities"))
    describe_as("assessments.campaign.opened",
                _("Campaign open: %(cities)s cities asked, %(invited)s key contacts invited"))
    describe_as("assessments.campaign.closed", _("Campaign closed at its deadline"))
    describe_as("assessments.assessment.reminded",
                _("Reminder sent to %(contact)s, key contact of %(city)s"))
