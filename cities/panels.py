"""What cities add to the dashboards: the region's Preparation indicator (cities intending to
join against the target, and the pipeline funnel: playbook, Appendix I, Definition of
Success), a city contact's way to their own city's page, and, in the Global Secretariat's
comparison of regions, the number of cities and of member cities."""

from django.utils.translation import gettext_lazy as _

from alliance.panels import OverviewColumn, Panel
from alliance.queries import count_per_region

from . import queries, stages
from .models import City, Stage


def preparation(request) -> dict:
    region = request.region
    funnel = queries.funnel(region)
    # Read off the funnel's counts: one query for both on a page every secretary lands on.
    intending = sum(count for stage, _label, count in funnel if stage in stages.INTENDING)
    return {"intending": intending, "target": region.participation_target, "funnel": funnel}


def own_cities(request) -> dict:
    return {"cities": queries.cities_of_contact(request.region, request.user)}


PREPARATION = Panel(action="cities.view", template="cities/_preparation_indicator.html",
                    context=preparation)
# A city contact reads their own city's page (cities.view_own), reached from here.
OWN_CITY = Panel(action="cities.view_own", template="cities/_own_city.html",
                 context=own_cities)
OVERVIEW_COLUMNS = [
    OverviewColumn(label=_("Cities"), count=lambda: count_per_region(City)),
    OverviewColumn(label=_("Member cities"),
                   count=lambda: count_per_region(City, stage=Stage.MEMBER)),
]
