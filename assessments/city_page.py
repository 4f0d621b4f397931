"""What assessments add to a city's page (registered with cities.extensions from
AssessmentsConfig.ready()): the city's assessments, newest first, with state and score."""

from alliance import permissions
from cities.extensions import CitySection, add_section, section_page


def assessments_section(request, city, *, limit: int) -> dict:
    rows = (city.assessments.select_related("campaign")
            .only("state", "overall_score", "submitted_at", "city", "campaign__year",
                  "campaign__closes_on")
            .order_by("-campaign__year", "-id"))
    page = section_page(request, "assessments", rows, limit)
    return {"assessments": page,
            "may_review": permissions.can(request.user, "assessments.review",
                                          region=request.region)}


def register() -> None:
    add_section(CitySection(action="assessments.view_campaigns",
                            template="assessments/_assessment_city_section.html",
                            context=assessments_section))
