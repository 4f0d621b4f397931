"""`make bench`: the trivial view and every registered page get their line on one seeding; a
page whose queries grow with its rows is named in the summary and fails the run, and so does a
page slower than its ratio to the trivial view; a page that does not answer 200 stops it.
The load test's sessions open the pages of every role without the TOTP form."""

import re
from contextlib import nullcontext
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from zeal import zeal_ignore

import alliance.urls
from alliance.bench import TRIVIAL, BenchPage, no_kwargs, registered_pages
from alliance.management.commands import bench, seed_load
from alliance.management.commands.bench import Result, failures, measure_pages, summary_line
from alliance.models import Notification, Role

PAGE_LINE = re.compile(
    r"bench (?P<what>page|trivial)=(?P<name>\S+) role=(?P<role>\w+) data=(?P<data>\w+) "
    r"queries_small=\d+ queries_large=\d+ p50_ms=\d+\.\d\d p95_ms=\d+\.\d\d ratio=\d+\.\d")
SUMMARY_LINE = re.compile(
    r"bench summary pages=(?P<pages>\d+) max_queries=\d+ query_growth=(?P<growth>\S+) "
    r"max_ratio=\d+\.\d")
CITIES = 12  # the mechanics at a tiny scale; `make bench` runs 2,000 per region


def notifications_with_a_query_per_row(request):
    """Deliberately N+1: each row fetches its region on its own. Zeal would stop this page in
    tests; here it must reach the bench."""
    with zeal_ignore():
        rows = Notification.objects.filter(recipient=request.user)
        return HttpResponse(", ".join(n.region.name for n in rows))


urlpatterns = [
    *alliance.urls.urlpatterns,
    path("bench-n-plus-one/", notifications_with_a_query_per_row, name="bench-n-plus-one"),
]


@pytest.mark.django_db
def test_every_registered_page_gets_a_line_and_no_page_s_queries_grow():
    pages = registered_pages()
    trivial, *results = measure_pages(cities=CITIES, repeat=1)

    lines = [PAGE_LINE.fullmatch(r.line()) for r in [trivial, *results]]
    assert all(lines), [r.line() for r in [trivial, *results]]
    assert lines[0]["what"] == "trivial" and lines[0]["name"] == "notification-bell"
    assert trivial.queries_large <= 5 and trivial.ratio == 1.0
    assert [(m["name"], m["role"], m["data"]) for m in lines[1:]] == [
        (p.name, p.role, p.background) for p in pages]
    summary = SUMMARY_LINE.fullmatch(summary_line(results))
    assert summary and summary["pages"] == str(len(pages)) and summary["growth"] == "none"
    # The budgets (15 queries, the ratios) are `make bench`'s verdict at full size.
    assert not [p for p in failures(results) if "grew" in p]


def test_the_secretariat_pages_are_on_the_bench_with_their_budgets():
    pages = {page.label: page for page in registered_pages()}
    assert {"region-dashboard@regional_secretariat", "city-list@regional_secretariat",
            "city-list?q=Puerto&stage=short_list@regional_secretariat",
            "city-board@regional_secretariat", "city-detail@regional_secretariat",
            "letter-list@regional_secretariat", "letter-detail@regional_secretariat",
            "approval-list@forum_reviewer", "approval-detail@forum_reviewer",
            "api:city-list@regional_secretariat", "api:letter-list@regional_secretariat",
            "city-list@regional_secretariat/many_tags",
            "dashboard-panel:dialogues@regional_secretariat"} <= set(pages)
    assert pages["city-board@regional_secretariat"].max_ratio == 8
    assert pages["city-list@regional_secretariat"].max_ratio == 5


@pytest.mark.django_db
def test_a_page_whose_queries_grow_with_rows_is_named_and_fails(settings):
    settings.ROOT_URLCONF = __name__
    page = BenchPage("bench-n-plus-one", Role.CITY_CONTACT, no_kwargs)

    _trivial, result = measure_pages(cities=CITIES, repeat=1, pages=[page])

    assert result.queries_large > result.queries_small
    summary = SUMMARY_LINE.fullmatch(summary_line([result]))
    assert summary["growth"] == "bench-n-plus-one@city_contact"
    [grew] = failures([result])
    assert "queries grew with rows" in grew and 'FROM "alliance_region"' in grew


def test_a_page_slower_than_its_ratio_fails_the_command_saying_by_how_much(monkeypatch):
    board = BenchPage("city-board", Role.REGIONAL_SECRETARIAT, max_ratio=8)
    results = [Result(TRIVIAL, 4, 4, 8.0, 9.0, 8.0),
               Result(board, 7, 7, 72.0, 80.0, 8.0),  # 9x: over the board's 8x
               Result(BenchPage("letter-list", Role.REGIONAL_SECRETARIAT), 8, 8, 32.0, 40.0,
                      8.0)]  # 4x: within 5x
    monkeypatch.setattr(bench, "throwaway_database", nullcontext)
    monkeypatch.setattr(bench, "measure_pages", lambda **kwargs: iter(results))
    monkeypatch.setattr(bench, "measure_jobs", lambda **kwargs: iter([]))

    with pytest.raises(CommandError) as refused:
        call_command("bench", cities=20, stdout=StringIO())

    over = ("  city-board@regional_secretariat: p50 72.0 ms is 9.0x the trivial view (8.0 ms); "
            "budget 8x, over by 12%")
    assert str(refused.value).splitlines()[1:] == [over]


@pytest.mark.django_db
def test_a_page_the_role_may_not_see_stops_the_bench():
    page = BenchPage("member-list", Role.EXPERT)

    with pytest.raises(CommandError, match="answered 403"):
        list(measure_pages(cities=CITIES, repeat=1, pages=[page]))


# A page each role opens in the load test's mix (loadtest/locustfile.py).
FIRST_PAGE = {Role.REGIONAL_SECRETARIAT: "board", Role.FORUM_REVIEWER: "approvals",
              Role.GLOBAL_SECRETARIAT: "global dashboard", Role.CITY_CONTACT: "materials",
              Role.EXPERT: "expert home"}


@pytest.mark.django_db
def test_the_load_test_sessions_open_each_role_s_pages_without_the_totp_form():
    plan = seed_load.seed(cities=CITIES, users_per_role=2)

    for role, sessions in plan["sessions"].items():
        assert len(sessions) == 2
        client = Client()
        client.cookies["sessionid"] = sessions[1]
        page = client.get(plan["pages"][FIRST_PAGE[role]])
        assert page.status_code == 200, (role, page.status_code, page.get("Location"))
    api = Client(headers={"authorization": f"Token {plan['api_tokens'][0]}"})
    assert api.get(plan["pages"]["api cities"]).status_code == 200
    assert plan["city pages"] and plan["clearance pages"] and plan["legal pages"]
    # Each city contact answers their own city's assessment; the secretariat follows it.
    for session, own in zip(plan["sessions"][Role.CITY_CONTACT], plan["own assessments"],
                            strict=True):
        client = Client()
        client.cookies["sessionid"] = session
        assert client.get(own).status_code == 200
    secretariat = Client()
    secretariat.cookies["sessionid"] = plan["sessions"][Role.REGIONAL_SECRETARIAT][0]
    for name in ("campaign progress", "benchmark", "roadmap", "experts", "stakeholders",
                 "working groups", "directory"):
        assert secretariat.get(plan["pages"][name]).status_code == 200, name
    assert secretariat.get(plan["expert pages"][0]).status_code == 200
