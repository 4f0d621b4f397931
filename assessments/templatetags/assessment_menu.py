"""The assessment area's own menu (campaigns, benchmark, roadmap, settings) under the
region menu's single "Assessments" item: `{% assessment_menu %}` at the top of its pages."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance import permissions

register = template.Library()

# label, URL name, action, the pages under which it is marked as where the person is
ITEMS = [
    (_("Campaigns"), "campaign-list", "assessments.view_campaigns",
     {"campaign-create", "campaign-edit", "campaign-detail", "assessment-review",
      "report-detail"}),
    (_("Benchmark"), "region-benchmark", "assessments.view_benchmarks",
     {"campaign-benchmark", "assessment-results"}),
    (_("Roadmap"), "roadmap", "assessments.view_roadmap",
     {"model-policy-detail", "model-policy-propose", "questionnaire-preview"}),
    (_("Case studies"), "case-study-list", "assessments.view_case_studies",
     {"case-study-create", "case-study-detail"}),
    (_("Settings"), "assessment-settings", "assessments.manage_campaigns", set()),
]


@register.inclusion_tag("assessments/_nav.html", takes_context=True)
def assessment_menu(context) -> dict:
    """The items this person may open; none when only one would show (the page is it)."""
    request = context["request"]
    if request.region is None:  # the same page under /global/: the global menu serves it
        return {"items": []}
    here = request.resolver_match.url_name
    kwargs = {"region_slug": request.region.slug}
    items = [{"label": label, "url": reverse(name, kwargs=kwargs),
              "current": here == name or here in area}
             for label, name, action, area in ITEMS
             if permissions.can(request.user, action, region=request.region)]
    return {"items": items if len(items) > 1 else []}
