"""What assessments add to the region dashboard: for the secretariat, the open campaign's
progress (cities per state, and the deadline)."""

from alliance.panels import Panel

from .models import Assessment
from .services import campaigns


def campaign_progress(request) -> dict:
    campaign, counts = campaigns.current_campaign(request.region)
    if campaign is None:
        return {"campaign": None}
    total = sum(counts.values())
    done = counts[Assessment.State.SUBMITTED] + counts[Assessment.State.ACCEPTED]
    return {"campaign": campaign, "total": total, "done": done,
            "states": [(label, counts[state]) for state, label in Assessment.State.choices]}


CAMPAIGN_PROGRESS = Panel(action="assessments.manage_campaigns",
                          template="assessments/_campaign_panel.html",
                          context=campaign_progress)
