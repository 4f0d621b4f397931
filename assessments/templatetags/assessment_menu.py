"""The assessment area's own menu (campaigns, benchmark, roadmap, settings) under the
region menu's single "Assessments" item: `{% assessment_menu %}` at the top of its pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from alliance.navigation import AreaItem, area_menu

register = template.Library()

ITEMS = [
    AreaItem(_("Campaigns"), "campaign-list", "assessments.view_campaigns",
             ("campaign-create", "campaign-edit", "campaign-detail", "assessment-review",
              "report-detail")),
    AreaItem(_("Benchmark"), "region-benchmark", "assessments.view_benchmarks",
             ("campaign-benchmark", "assessment-results")),
    AreaItem(_("Roadmap"), "roadmap", "assessments.view_roadmap",
             ("model-policy-detail", "model-policy-propose", "questionnaire-preview")),
    AreaItem(_("Case studies"), "case-study-list", "assessments.view_case_studies",
             ("case-study-create", "case-study-detail")),
    AreaItem(_("Settings"), "assessment-settings", "assessments.manage_campaigns"),
]


@register.inclusion_tag("alliance/_subnav.html", takes_context=True)
def assessment_menu(context) -> dict:
    return area_menu(context["request"], ITEMS, label=_("Assessments"))
