"""`make bench`: every registered page (alliance/bench.py) measured in a throwaway database.

For each page: its queries with a few rows and with BENCH_SCALE rows, then its p50/p95 time
at the large size, and the ratio of that p50 to a trivial view's. Exits non-zero when a
page's queries grow with its rows or exceed the budget, after printing every line.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.bench import Bench, BenchPage, make_bench, registered_pages
from alliance.signals import optimize_sqlite
from alliance.tenancy import unscoped

SMALL = 5
DEFAULT_SCALE = 300
DEFAULT_REPEAT = 30
QUERY_BUDGET = 15
# The trivial view, requested anonymously: the floor STACK-NOTES measures other pages against.
BASELINE_URL = "/healthz"
BASELINE_REPEAT = 100


@dataclass(frozen=True)
class Result:
    page: BenchPage
    queries_small: int
    queries_large: int
    p50_ms: float
    p95_ms: float
    ratio: float
    sql_large: tuple[str, ...] = ()

    @property
    def grew(self) -> bool:
        return self.queries_large > self.queries_small

    @property
    def max_queries(self) -> int:
        return max(self.queries_small, self.queries_large)

    def line(self) -> str:
        return (f"bench page={self.page.url_name} role={self.page.role} "
                f"queries_small={self.queries_small} queries_large={self.queries_large} "
                f"p50_ms={self.p50_ms:.2f} p95_ms={self.p95_ms:.2f} ratio={self.ratio:.1f}")


def summary_line(results: list[Result]) -> str:
    grown = ",".join(r.page.label for r in results if r.grew) or "none"
    return (f"bench summary pages={len(results)} "
            f"max_queries={max(r.max_queries for r in results)} query_growth={grown} "
            f"max_ratio={max(r.ratio for r in results):.1f}")


def failures(results: list[Result]) -> list[str]:
    problems = []
    for r in results:
        if r.grew:
            problems.append(f"{r.page.label}: queries grew with rows, {r.queries_small} -> "
                            f"{r.queries_large}; most repeated: {most_repeated(r.sql_large)}")
        if r.max_queries > QUERY_BUDGET:
            problems.append(f"{r.page.label}: {r.max_queries} queries, budget {QUERY_BUDGET}")
    return problems


def most_repeated(sql: tuple[str, ...]) -> str:
    """The statement run most often, its literals masked: usually the per-row query."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", statement) for statement in sql)
    if not shapes:
        return "(no queries)"
    shape, count = shapes.most_common(1)[0]
    return f"{count}x {shape}"


def measure_pages(*, scale: int, repeat: int, pages: list[BenchPage] | None = None
                  ) -> Iterator[Result]:
    """Measure each page against the current database (a throwaway one, or a test's)."""
    baseline_ms = percentile(timings(Client(), BASELINE_URL, BASELINE_REPEAT), 50)
    with unscoped(reason="the bench builds its own regions"):
        bench = make_bench()
    for page in pages or registered_pages():
        yield measure(page, bench, scale=scale, repeat=repeat, baseline_ms=baseline_ms)


def measure(page: BenchPage, bench: Bench, *, scale: int, repeat: int,
            baseline_ms: float) -> Result:
    with rolled_back():
        bench = replace(bench, role=page.role, subject=None)
        with unscoped(reason="seeders write rows into several bench regions"):
            url = reverse(page.url_name, kwargs=page.prepare(bench))
            page.seed(bench, SMALL)
        client = Client()
        client.force_login(bench.user)
        fetch(client, url)  # the first request writes the session and fills caches
        small = queries_of(client, url)
        with unscoped(reason="seeders write rows into several bench regions"):
            page.seed(bench, scale - SMALL)
        # Statistics of the large size, as `seed_demo` leaves them: SQLite plans without
        # them can be slower than any real database would be.
        optimize_sqlite(analyze=True)
        large = queries_of(client, url)
        samples = timings(client, url, repeat)
    p50 = percentile(samples, 50)
    return Result(page, len(small), len(large), p50, percentile(samples, 95),
                  p50 / baseline_ms, tuple(large))


@contextmanager
def rolled_back():
    """Each page sees only its own rows: what it seeds is undone once it is measured."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def fetch(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code} "
                           f"{response.get('Location', '')}, not 200")
    return response


def queries_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    return [query["sql"] for query in captured.captured_queries]


def timings(client: Client, url: str, count: int) -> list[float]:
    fetch(client, url)  # warm-up, not timed
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        fetch(client, url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], pct: int) -> float:
    """Nearest-rank percentile: always one of the measured values."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


@contextmanager
def throwaway_database():
    """A fresh migrated database for this run, dropped after it: the dev data stays as it was."""
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = bench_database_name(old_name)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def bench_database_name(name: str) -> str:
    if connection.vendor == "sqlite":
        folder = settings.VAR_DIR / "bench"
        folder.mkdir(exist_ok=True)
        return str(folder / "bench.sqlite3")
    return f"bench_{name}"  # beside, never over, the database a test run creates


class Command(BaseCommand):
    help = "Query counts at two sizes and timings for every page in the bench registry."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int,
                            default=int(os.environ.get("BENCH_SCALE") or DEFAULT_SCALE),
                            help="rows per page for the large run (env BENCH_SCALE)")
        parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT,
                            help="timed requests per page")

    def handle(self, *args, scale, repeat, **options):
        if scale <= SMALL:
            raise CommandError(f"The scale must be above {SMALL} rows.")
        results = []
        # Production-like timing (no query log), and the test client's host allowed.
        production_like = override_settings(
            DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"])
        with production_like, throwaway_database():
            for result in measure_pages(scale=scale, repeat=repeat):
                self.stdout.write(result.line())
                results.append(result)
        self.stdout.write(summary_line(results))
        problems = failures(results)
        if problems:
            raise CommandError("pages over budget:\n  " + "\n  ".join(problems))
