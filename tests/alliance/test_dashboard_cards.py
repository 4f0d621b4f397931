"""The dashboard's named cards load after the page from their own address: the card alone
for htmx, a page of its own without JavaScript, and only for people who may see it."""

import pytest
from django.urls import reverse

from tests.dashboards import LAZY_CARD, dashboard_of


def _card(region, name):
    return reverse("dashboard-panel", kwargs={"region_slug": region.slug, "panel_name": name})


@pytest.mark.django_db
def test_the_dashboard_draws_a_placeholder_that_links_to_the_card(cast, client_for):
    region = cast.home.region
    client = client_for(cast.home.regional_secretariat)
    page = client.get(reverse("region-dashboard", kwargs={"region_slug": region.slug}))
    body = page.content.decode()
    assert _card(region, "dialogues") in LAZY_CARD.findall(body)
    assert f'<a href="{_card(region, "dialogues")}">Open “Dialogues this month”</a>' in body
    assert "member cities spoken to this month" not in body
    assert "member cities spoken to this month" in dashboard_of(client, region)


@pytest.mark.django_db
def test_a_card_comes_alone_for_htmx_and_on_its_own_page_without_javascript(cast, client_for):
    client = client_for(cast.home.regional_secretariat)
    url = _card(cast.home.region, "playbook-minimum")
    alone = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert alone.lstrip().startswith("<section") and "<html" not in alone
    page = client.get(url).content.decode()
    assert "<h1>Playbook minimum</h1>" in page and "Back to the dashboard" in page


@pytest.mark.django_db
def test_a_card_refuses_people_who_may_not_see_it_and_unknown_names(cast, client_for):
    contact = client_for(cast.home.city_contact)
    assert contact.get(_card(cast.home.region, "dialogues")).status_code == 403
    secretariat = client_for(cast.home.regional_secretariat)
    assert secretariat.get(_card(cast.home.region, "no-such-card")).status_code == 404
    assert secretariat.get(_card(cast.foreign.region, "dialogues")).status_code == 404
