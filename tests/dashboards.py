"""The region dashboard as a person sees it once its cards have loaded: the named cards
(alliance.panels) come from their own addresses after the page, as htmx fetches them."""

import re

from django.urls import reverse

LAZY_CARD = re.compile(r'hx-get="([^"]+)" hx-trigger="load"')


def dashboard_of(client, region) -> str:
    page = client.get(reverse("region-dashboard", kwargs={"region_slug": region.slug}))
    assert page.status_code == 200
    body = page.content.decode()
    cards = [client.get(url, HTTP_HX_REQUEST="true") for url in LAZY_CARD.findall(body)]
    assert all(card.status_code == 200 for card in cards)
    return body + "".join(card.content.decode() for card in cards)
