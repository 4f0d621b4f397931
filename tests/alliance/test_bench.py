"""`make bench`: every registered page gets its line, within budget; a page whose queries grow
with its rows is named in the summary and fails the run; a page that does not answer 200 stops
it."""

import re

import pytest
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.urls import path
from zeal import zeal_ignore

import alliance.urls
from alliance.bench import BenchPage, add_members, add_notifications, no_kwargs, registered_pages
from alliance.management.commands.bench import failures, measure_pages, summary_line
from alliance.models import Notification, Role

PAGE_LINE = re.compile(
    r"bench page=(?P<url_name>[\w:-]+) role=(?P<role>\w+) queries_small=\d+ "
    r"queries_large=\d+ p50_ms=\d+\.\d\d p95_ms=\d+\.\d\d ratio=\d+\.\d")
SUMMARY_LINE = re.compile(
    r"bench summary pages=(?P<pages>\d+) max_queries=\d+ query_growth=(?P<growth>\S+) "
    r"max_ratio=\d+\.\d")


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
def test_every_registered_page_gets_a_line_within_budget():
    pages = registered_pages()
    results = list(measure_pages(scale=20, repeat=3))

    lines = [PAGE_LINE.fullmatch(r.line()) for r in results]
    assert all(lines), [r.line() for r in results]
    assert [(m["url_name"], m["role"]) for m in lines] == [(p.url_name, p.role) for p in pages]
    assert {"region-dashboard", "approval-list", "global:dashboard"} <= {p.url_name for p in pages}
    summary = SUMMARY_LINE.fullmatch(summary_line(results))
    assert summary and summary["pages"] == str(len(pages)) and summary["growth"] == "none"
    assert failures(results) == []


@pytest.mark.django_db
def test_a_page_whose_queries_grow_with_rows_is_named_and_fails(settings):
    settings.ROOT_URLCONF = __name__
    page = BenchPage("bench-n-plus-one", Role.CITY_CONTACT, add_notifications,
                     prepare=no_kwargs)

    [result] = measure_pages(scale=20, repeat=1, pages=[page])

    assert result.queries_large - result.queries_small == 20 - 5
    summary = SUMMARY_LINE.fullmatch(summary_line([result]))
    assert summary["growth"] == "bench-n-plus-one@city_contact"
    grew, over_budget = failures([result])
    assert "queries grew with rows" in grew and 'FROM "alliance_region"' in grew
    assert "budget 15" in over_budget


@pytest.mark.django_db
def test_a_page_the_role_may_not_see_stops_the_bench():
    page = BenchPage("member-list", Role.EXPERT, add_members)

    with pytest.raises(CommandError, match="answered 403"):
        list(measure_pages(scale=10, repeat=1, pages=[page]))
