"""The Preparation phase's success indicator: intending cities against the target, and the
pipeline funnel as an SVG chart a screen reader can read."""

import re

from django.template.loader import render_to_string
from django_scopes import scope

from cities import queries
from cities.models import Stage
from tests.factories import CityFactory

TEMPLATE = "cities/_preparation_indicator.html"


def _render(region):
    with scope(region=region):
        return render_to_string(TEMPLATE, {
            "intending": queries.intending_count(region), "target": region.participation_target,
            "funnel": queries.funnel(region)})


def test_it_counts_committed_and_member_cities_against_the_target(cast, home):
    for stage, n in [(Stage.COMMITTED, 2), (Stage.MEMBER, 1), (Stage.CONTACTED, 4)]:
        CityFactory.create_batch(n, region=home, stage=stage)
    html = _render(home)
    assert "3 of 10 cities intend to participate" in html
    assert '<progress max="10" value="3"' in html


def test_the_funnel_is_an_svg_with_a_text_equivalent(cast, home):
    CityFactory.create_batch(4, region=home, stage=Stage.CONTACTED)
    CityFactory.create_batch(2, region=home, stage=Stage.COMMITTED)
    html = _render(home)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="funnel-title funnel-desc"' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "Contacted: 4" in desc and "Committed: 2" in desc and "Long list: 0" in desc
    widths = dict(re.findall(r'<text x="0" y="\d+"[^>]*>([^<]+)</text>\s*<rect [^>]*'
                             r'width="(\d+)"', svg))
    assert int(widths["Contacted"]) == 2 * int(widths["Committed"]) > 0
    assert widths["Long list"] == "0"
    assert "<th scope=\"row\">Contacted</th><td>4</td>" in html  # the table behind <details>
    assert "style=" not in html  # the CSP allows no inline style


def test_an_empty_region_draws_without_dividing_by_zero(cast, home):
    html = _render(home)
    assert "0 of 10 cities intend to participate" in html


def test_the_region_dashboard_shows_the_indicator(cast, home, client):
    CityFactory.create_batch(2, region=home, stage=Stage.MEMBER)
    client.force_login(cast.home.regional_secretariat)
    page = client.get("/r/aurora/").content.decode()
    assert "2 of 10 cities intend to participate" in page
    assert "Member: 2" in page
