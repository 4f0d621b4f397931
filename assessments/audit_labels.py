"""How assessment audit entries read on a history (a model policy's, a questionnaire
version's)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alliance.models import ApprovalRequest
from alliance.services.audit import describe_as
from alliance.wording import field_names

from .models import CaseStudy, ModelPolicy, Question, Section

DECISION = {"decision": ApprovalRequest.State}
DIRECTION = {"direction": {"up": _("up"), "down": _("down")}}


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    describe_as("assessments.model_policy.proposed", _("%(actor)s proposed this model policy"))
    describe_as("assessments.model_policy.approval_requested",
                _("%(actor)s asked the Global Secretariat to adopt this proposal"))
    describe_as("assessments.model_policy.decided",
                _("%(actor)s decided on the proposal: %(decision)s"), labels=DECISION)
    describe_as("assessments.model_policy.created", _("Model policy added to the roadmap"))
    describe_as("assessments.model_policy.changed", _("Model policy edited (%(fields)s)"),
                labels={"fields": field_names(ModelPolicy)})
    describe_as("assessments.model_policy.retired", _("Model policy retired from the roadmap"))
    describe_as("assessments.questionnaire.created", _("Questionnaire created"))
    describe_as("assessments.version.created", _("Version %(number)s drafted"))
    describe_as("assessments.version.imported",
                _("Version %(number)s imported from a spreadsheet (%(questions)s questions)"))
    describe_as("assessments.version.changed", _("Version note edited"))
    describe_as("assessments.version.published", _("Version %(number)s published"))
    describe_as("assessments.version.translated",
                _("Translations saved (%(language)s, %(count)s texts)"),
                labels={"language": dict(settings.LANGUAGES)})
    describe_as("assessments.section.added", _("Section %(name)s added"))
    describe_as("assessments.section.changed", _("Section %(name)s edited (%(fields)s)"),
                labels={"fields": field_names(Section)})
    describe_as("assessments.section.deleted", _("Section %(name)s deleted"))
    describe_as("assessments.section.moved", _("Section %(name)s moved %(direction)s"),
                labels=DIRECTION)
    describe_as("assessments.question.added", _("Question %(name)s added"))
    describe_as("assessments.question.changed", _("Question %(name)s edited (%(fields)s)"),
                labels={"fields": field_names(Question)})
    describe_as("assessments.question.deleted", _("Question %(name)s deleted"))
    describe_as("assessments.question.moved", _("Question %(name)s moved %(direction)s"),
                labels=DIRECTION)
    describe_as("assessments.case_study.created",
                _("Case study “%(title)s” written for %(city)s"))
    describe_as("assessments.case_study.changed", _("Case study edited (%(fields)s)"),
                labels={"fields": field_names(CaseStudy)})
    describe_as("assessments.case_study.ready", _("Case study marked ready for the Hub"))
    describe_as("assessments.case_study.sent", _("Case study sent to the Hub"))
