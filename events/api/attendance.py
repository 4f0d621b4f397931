"""REST endpoints of the events app's attendance area."""

REGION_ROUTES: list = []
