"""What cities add to the dashboards: the region's Preparation indicator (cities intending to
join against the target, and the pipeline funnel: playbook, Appendix I, Definition of
Success) and the number of cities in the Global Secretariat's comparison of regions."""

from django.utils.translation import gettext_lazy as _

from alliance.panels import OverviewColumn, Panel
from alliance.queries import count_per_region

from . import queries
from .models import City


def preparation(request) -> dict:
    region = request.region
    return {"intending": queries.intending_count(region), "target": region.participation_target,
            "funnel": queries.funnel(region)}


PREPARATION = Panel(action="cities.view", template="cities/_preparation_indicator.html",
                    context=preparation)
CITY_COUNT = OverviewColumn(label=_("Cities"), count=lambda: count_per_region(City))
