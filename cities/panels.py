"""The region dashboard's Preparation indicator: cities intending to join against the target,
and the pipeline funnel (playbook, Appendix I: Definition of Success)."""

from alliance.panels import Panel, register

from . import queries


def preparation(request) -> dict:
    region = request.region
    return {"intending": queries.intending_count(region), "target": region.participation_target,
            "funnel": queries.funnel(region)}


register(Panel(action="cities.view", template="outreach/_preparation_indicator.html",
               context=preparation))
