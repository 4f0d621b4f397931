"""Every page of the monthly dialogues with cities on a phone (390x844), as the regional
secretariat who logs them (the only role that reads them): the coverage of member cities by
month, the list, a dialogue's page, logging one and editing it, and a city's page with its
latest dialogues. None scrolls sideways (the coverage scrolls in its own frame), none breaks
the Content Security Policy, axe-core finds no serious or critical violation, and each shows
its rows (test_event_pages.events_region)."""

import pytest

from .test_event_pages import DIALOGUE_PAGES, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_dialogue_page_holds_on_a_phone_with_no_csp_or_serious_axe_violation(
        browse, cast):
    walk(browse, cast, "regional secretariat", DIALOGUE_PAGES)
