"""Query budgets that explain themselves (pretix's assert_num_queries, Zulip's
assert_database_query_count): on a mismatch, every captured SQL statement is printed."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def capture_queries():
    with CaptureQueriesContext(connection) as context:
        yield context


def explain(context) -> str:
    return "\n".join(f"{i + 1:3}. {q['sql']}" for i, q in enumerate(context.captured_queries))


def count_queries(fetch) -> tuple[int, str]:
    with capture_queries() as context:
        fetch()
    return len(context.captured_queries), explain(context)


def assert_flat_queries(fetch, grow, *, budget=15):
    """`fetch` a page, `grow` its rows, fetch again: the count must not change."""
    few, few_sql = count_queries(fetch)
    grow()
    many, many_sql = count_queries(fetch)
    assert few == many, (
        f"queries grew with rows: {few} -> {many}\n--- few rows ---\n{few_sql}\n"
        f"--- many rows ---\n{many_sql}")
    assert many <= budget, f"{many} queries, budget {budget}:\n{many_sql}"
    return many
