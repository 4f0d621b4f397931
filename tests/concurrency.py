"""Two writers at the same moment, each in its own thread and database connection.

Only PostgreSQL locks rows (SQLite serialises whole transactions), so these tests run where
DATABASE_URL is PostgreSQL, as CI runs them (`CI=true bash .ci/run`)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django_scopes import scope


def on_postgresql(test):
    """Mark a test that races two threads: PostgreSQL only, with real commits."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(connection.vendor != "postgresql",
                              reason="row locks need PostgreSQL (CI sets DATABASE_URL)")(test)


# Long enough for the second writer to reach the row the first one holds.
HOLD_SECONDS = 0.5


def race(region, first, second):
    """Run `first` in a transaction that stays open while `second` starts against the same
    rows, then commit it and let `second` finish: the interleaving in which a writer that
    read before the other committed would save over its change.

    Returns what `second` returned, or raises what either raised."""
    first_done, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def run(name, work, hold):
        try:
            with scope(region=region), transaction.atomic():
                outcome[name] = work()
                if hold:
                    first_done.set()
                    release.wait(10)
        except BaseException as error:  # handed to the test's thread below
            outcome[f"{name}_error"] = error
        finally:
            first_done.set()
            connections.close_all()

    one = threading.Thread(target=run, args=("first", first, True))
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=run, args=("second", second, False))
    two.start()
    two.join(HOLD_SECONDS)
    release.set()
    one.join(10)
    two.join(10)
    for name in ("first_error", "second_error"):
        if name in outcome:
            raise outcome[name]
    return outcome.get("second")
