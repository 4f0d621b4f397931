"""How the answering and review entries of an assessment read on its history."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alliance.services.audit import describe_as


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("assessments.assessment.started", _("Started answering the assessment"))
    describe_as("assessments.assessment.answered",
                _("%(actor)s answered their first question: “%(question)s”"))
    describe_as("assessments.assessment.section_assigned",
                _("Section “%(section)s” assigned to %(email)s"))
    describe_as("assessments.assessment.assignee_joined",
                _("%(actor)s joined to answer the section “%(section)s”"))
    describe_as("assessments.assessment.assignment_removed",
                _("Section “%(section)s” taken back from %(email)s"))
    describe_as("assessments.assessment.clarification",
                _("Wrote to the other side about “%(question)s”"))
    describe_as("assessments.assessment.submitted", _("Submitted the assessment"))
    describe_as("assessments.assessment.resubmitted", _("Submitted the assessment again"))
    describe_as("assessments.assessment.returned", returned)
    describe_as("assessments.assessment.accepted", _("Accepted the assessment"))


def returned(data: dict) -> str:
    return ngettext("Returned the assessment to the city with %(count)s comment (round "
                    "%(round)s)",
                    "Returned the assessment to the city with %(count)s comments (round "
                    "%(round)s)", data.get("count") or 0)
