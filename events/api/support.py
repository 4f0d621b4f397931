"""REST endpoints of the events app's support area."""

REGION_ROUTES: list = []
