"""SQLite gets table statistics after migrating and after seeding (a correlated subquery picks
the wrong index without them); PostgreSQL is left to its own ANALYZE."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.signals import optimize_sqlite

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics")


def _statistics_table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None


def _analyzed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@sqlite_only
def test_the_test_database_was_analyzed_when_migrated(db):
    assert _statistics_table_exists()


@sqlite_only
def test_migrate_analyzes_a_database_that_has_no_statistics(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE sqlite_stat1")
    assert not _statistics_table_exists()
    with CaptureQueriesContext(connection) as captured:
        call_command("migrate", verbosity=0)
    assert _statistics_table_exists()
    statements = [q["sql"] for q in captured.captured_queries]
    assert "ANALYZE" in statements and "PRAGMA optimize" in statements


@sqlite_only
def test_the_demo_seed_leaves_statistics_of_its_rows(db):
    call_command("seed_demo", stdout=StringIO())
    assert {"alliance_region", "alliance_membership"} <= _analyzed_tables()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the other databases")
def test_other_databases_are_left_alone(db):
    with CaptureQueriesContext(connection) as captured:
        optimize_sqlite(analyze=True)
    assert captured.captured_queries == []
