"""`make bench`: every registered page (alliance/bench.py) measured on realistic regions.

The bench regions are seeded once per run, in a throwaway database: a small round, where
each page's queries are counted, then the rest up to full size (`--cities`, env BENCH_CITIES,
default 2,000 cities per region), where they are counted again and the page is timed. The
trivial view, the signed-in notification bell through the full middleware, is printed first
and timed again alongside each page, request for request, for the page's ratio. Budgets: at
most 15 queries, no growth, p50 at most the page's ratio to the trivial view (5x; the board
8x). Every line is printed, then the summary and the failures; the exit status is non-zero
when there is any. Then the registered jobs (alliance.bench.BenchJob), each seeded on data of
its own and timed once: `bench job=<name> items=<n> seconds=<x>`, failing over its budget.
"""

from __future__ import annotations

import gc
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
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance import middleware
from alliance.bench import (
    DEFAULT_CITIES,
    SMALL,
    TRIVIAL,
    Bench,
    BenchJob,
    BenchPage,
    full_size,
    make_bench,
    registered_jobs,
    registered_pages,
    seed_round,
)
from alliance.signals import optimize_sqlite
from alliance.tenancy import unscoped

DEFAULT_REPEAT = 30
QUERY_BUDGET = 15
SMALL_ROWS = 5  # rows about a detail page's subject at the small size


def subject_rows(cities: int) -> int:
    """Rows about a detail page's subject at full size: a busy city's history, say."""
    return max(2 * SMALL_ROWS, cities // 10)


@dataclass(frozen=True)
class Result:
    page: BenchPage
    queries_small: int
    queries_large: int
    p50_ms: float
    p95_ms: float
    trivial_ms: float
    sql_large: tuple[str, ...] = ()
    # The median of each request's time over the trivial request timed right after it: a
    # moment when the machine is slower slows both of a pair, so it moves the ratio less
    # than it moves either median.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float:
        if self.paired_ratio is not None:
            return self.paired_ratio
        return self.p50_ms / self.trivial_ms

    @property
    def grew(self) -> bool:
        return self.queries_large > self.queries_small

    @property
    def max_queries(self) -> int:
        return max(self.queries_small, self.queries_large)

    def line(self) -> str:
        what = "trivial" if self.page is TRIVIAL else "page"
        return (f"bench {what}={self.page.name} role={self.page.role} "
                f"data={self.page.background} queries_small={self.queries_small} "
                f"queries_large={self.queries_large} p50_ms={self.p50_ms:.2f} "
                f"p95_ms={self.p95_ms:.2f} ratio={self.ratio:.1f}")


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
        if r.ratio > r.page.max_ratio:
            problems.append(
                f"{r.page.label}: p50 {r.p50_ms:.1f} ms is {r.ratio:.1f}x the trivial view "
                f"({r.trivial_ms:.1f} ms); budget {r.page.max_ratio:g}x, over by "
                f"{(r.ratio / r.page.max_ratio - 1):.0%}")
    return problems


def most_repeated(sql: tuple[str, ...]) -> str:
    """The statement run most often, its literals masked: usually the per-row query."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", statement) for statement in sql)
    if not shapes:
        return "(no queries)"
    shape, count = shapes.most_common(1)[0]
    return f"{count}x {shape}"


@dataclass
class Target:
    """A page made ready to request: its own view of the bench (role, region, subject)."""

    page: BenchPage
    bench: Bench
    url: str
    queries_small: int = 0

    def grow(self, rows: int) -> None:
        if self.page.grow:
            self.page.grow(self.bench, rows)


def target(bench: Bench, page: BenchPage) -> Target:
    own = replace(bench, role=page.role, background=page.background, subject=None)
    url = reverse(page.url_name, kwargs=page.prepare(own))
    return Target(page, own, f"{url}?{page.query}" if page.query else url)


def measure_pages(*, cities: int, repeat: int, pages: list[BenchPage] | None = None
                  ) -> Iterator[Result]:
    """The trivial view's result, then each page's, on bench regions seeded in the current
    database (a throwaway one, or a test's)."""
    pages = pages or registered_pages()
    with unscoped(reason="the bench seeds regions of its own"):
        bench = make_bench()
        targets = [target(bench, page) for page in [TRIVIAL, *pages]]
        seed_everything(bench, targets, lambda background: SMALL, SMALL_ROWS)
    clients = {role: signed_in(user) for role, user in bench.users.items()}
    for t in targets:
        fetch(clients[t.page.role], t.url)  # the first request writes the session
        t.queries_small = len(queries_of(clients[t.page.role], t.url))
    with unscoped(reason="the bench seeds regions of its own"):
        seed_everything(bench, targets, lambda background: full_size(background, cities) - SMALL,
                        subject_rows(cities) - SMALL_ROWS)
    analyze()
    trivial = measure(targets[0], clients, repeat=max(3 * repeat, 30))
    yield trivial
    for t in targets[1:]:
        yield measure(t, clients, repeat=repeat, alongside=targets[0])


@dataclass(frozen=True)
class JobResult:
    job: BenchJob
    items: int
    seconds: float

    def line(self) -> str:
        return f"bench job={self.job.name} items={self.items} seconds={self.seconds:.3f}"

    @property
    def over_budget(self) -> bool:
        job = self.job
        applies = job.budget_vendor in (None, connection.vendor)
        return job.budget_seconds is not None and applies and self.seconds > job.budget_seconds


def measure_jobs(jobs: list[BenchJob] | None = None) -> Iterator[JobResult]:
    """Each job seeded (not timed), analyzed, then run once and timed."""
    for job in registered_jobs() if jobs is None else jobs:
        with unscoped(reason="a bench job seeds a region of its own"):
            work = job.prepare()
        analyze()
        start = time.perf_counter()
        items = work()
        yield JobResult(job, items, time.perf_counter() - start)


def job_failures(results: list[JobResult]) -> list[str]:
    return [f"job {r.job.name}: {r.seconds:.2f} s, budget {r.job.budget_seconds:g} s"
            for r in results if r.over_budget]


def analyze() -> None:
    """Table statistics of the full size, as `seed_demo` (SQLite) or autovacuum (PostgreSQL)
    leave them: plans made without them can be slower than any real database's."""
    optimize_sqlite(analyze=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed_everything(bench: Bench, targets: list[Target], size_of, subject_rows: int) -> None:
    seed_round(bench, size_of)
    for t in targets:
        t.grow(subject_rows)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure(t: Target, clients: dict[str, Client], *, repeat: int,
            alongside: Target | None = None) -> Result:
    """The page's queries at full size and its times. Its ratio is to the trivial view timed
    `alongside`, request for request, so that a machine busy with other work slows both."""
    client = clients[t.page.role]
    # Like the small count, after a request of its own: that one takes the session's periodic
    # last-seen write (a minute may have passed while seeding) and warms what is cached.
    fetch(client, t.url)
    large = queries_of(client, t.url)
    samples, trivial_samples = [], []
    gc.collect()  # the garbage of seeding and of the pages before is not this page's
    for _ in range(repeat):
        samples.append(timed(client, t.url))
        if alongside:
            trivial_samples.append(timed(clients[alongside.page.role], alongside.url))
    paired = ([page / trivial for page, trivial in zip(samples, trivial_samples, strict=True)]
              if alongside else [])
    return Result(t.page, t.queries_small, len(large), percentile(samples, 50),
                  percentile(samples, 95), percentile(trivial_samples or samples, 50),
                  tuple(large), percentile(paired, 50) if paired else None)


def fetch(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code} "
                           f"{response.get('Location', '')}, not 200")
    return response


def queries_of(client: Client, url: str) -> list[str]:
    """The page's queries. Not the session's last-seen write, which comes once a minute
    whatever the page (alliance.middleware.SEEN_EVERY): a count taken as a minute ends would
    otherwise count it as the page's."""
    seen_every = middleware.SEEN_EVERY
    middleware.SEEN_EVERY = math.inf
    try:
        with CaptureQueriesContext(connection) as captured:
            fetch(client, url)
    finally:
        middleware.SEEN_EVERY = seen_every
    return [query["sql"] for query in captured.captured_queries]


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    fetch(client, url)
    return (time.perf_counter() - start) * 1000


def percentile(samples: list[float], pct: int) -> float:
    """Nearest-rank percentile: always one of the measured values."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def create_database(purpose: str) -> None:
    """A fresh migrated database beside the configured one, which the connection uses from
    now on: var/<purpose>/portal.sqlite3 on SQLite, <purpose>_<name> on PostgreSQL. The
    configured database (the dev data) is never touched."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        folder = settings.VAR_DIR / purpose
        folder.mkdir(exist_ok=True)
        name = str(folder / "portal.sqlite3")
    else:
        name = f"{purpose}_{name}"
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


@contextmanager
def throwaway_database():
    """A database for this run only, dropped after it."""
    configured = connection.settings_dict["NAME"]
    create_database("bench")
    try:
        yield
    finally:
        connection.creation.destroy_test_db(configured, verbosity=0)


class Command(BaseCommand):
    help = "Query counts at two sizes and timings of every page in the bench registry."

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int,
                            default=int(os.environ.get("BENCH_CITIES") or DEFAULT_CITIES),
                            help="cities per bench region at full size (env BENCH_CITIES); "
                                 "contacts, letters and history follow in proportion")
        parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT,
                            help="timed requests per page")
        parser.add_argument("--page", action="append", dest="names", metavar="NAME",
                            help="measure only this page (repeatable); jobs are skipped")

    def handle(self, *args, cities, repeat, names, **options):
        if cities <= SMALL.cities:
            raise CommandError(f"Give more than {SMALL.cities} cities.")
        pages = registered_pages()
        if names:
            pages = [page for page in pages if page.name in names]
            if not pages:
                raise CommandError(f"No registered page is named {', '.join(names)}.")
        results = []
        # Production-like timing (no query log), and the test client's host allowed.
        production_like = override_settings(
            DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"])
        with production_like, throwaway_database():
            for result in measure_pages(cities=cities, repeat=repeat, pages=pages):
                self.stdout.write(result.line())
                results.append(result)
            jobs = []
            for job_result in ([] if names else measure_jobs()):
                self.stdout.write(job_result.line())
                jobs.append(job_result)
        pages = results[1:]
        self.stdout.write(summary_line(pages))
        problems = failures(pages) + job_failures(jobs)
        if problems:
            raise CommandError(f"{len(problems)} over budget:\n  " + "\n  ".join(problems))
