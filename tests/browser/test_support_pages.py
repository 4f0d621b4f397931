"""Every page of model-policy implementation support on a phone (390x844): workplans, their
milestones, templates and support activities as the regional secretariat keeps them, what a
Forum reviewer reads, a city contact's own city's workplan (which they edit) and an advising
expert's, and a support activity of another kind as the Global Secretariat
decides on it. None scrolls sideways (tables scroll in their own frame), none breaks the Content
Security Policy, axe-core finds no serious or critical violation, and each shows its rows
(test_event_pages.events_region). test_event_pages checks a city contact's and an expert's
own workplans in Japanese and Spanish."""

import pytest

from .test_event_pages import SUPPORT_PAGES, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("who", ["regional secretariat", "forum reviewer", "city contact",
                                 "expert", "global secretariat"])
def test_every_support_page_holds_on_a_phone_with_no_csp_or_serious_axe_violation(
        browse, cast, who):
    walk(browse, cast, who, SUPPORT_PAGES)
