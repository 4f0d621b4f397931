"""The experts area 'groups': REST endpoints (routes listed in experts/api/__init__.py)."""

REGION_ROUTES: list = []
GLOBAL_ROUTES: list = []
