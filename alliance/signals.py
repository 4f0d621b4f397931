from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate
from django.dispatch import Signal

# Sent inside the accepting transaction with `invitation` and `user`; apps that invited
# someone for a purpose (a city's contact, an expert) link the new account to it.
invitation_accepted = Signal()


def connect(app_config) -> None:
    """Connect the core's receivers; called from AllianceConfig.ready()."""
    # post_migrate is sent once per app: this sender makes it once per migrate.
    post_migrate.connect(optimize_after_migrate, sender=app_config,
                         dispatch_uid="alliance.optimize_after_migrate")


def optimize_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    optimize_sqlite(using)


def optimize_sqlite(using: str = DEFAULT_DB_ALIAS, *, analyze: bool = False) -> None:
    """Give SQLite's query planner table statistics; nothing on other databases.

    Without them SQLite can pick the wrong index for a correlated subquery (the city table:
    2.7 s before ANALYZE, 0.34 s after, STACK-NOTES). `PRAGMA optimize` refreshes only the
    tables this connection used, so callers that have just written many rows (the demo seed,
    the bench) pass `analyze=True`: statistics are only as good as the rows they count.
    A database never analyzed is analyzed whole, which also creates sqlite_stat1.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        # Sample at most this many rows per index: enough for the planner, fast on big tables.
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if analyze or cursor.fetchone() is None:
            cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
