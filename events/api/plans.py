"""REST endpoints of the events app's plans area."""

REGION_ROUTES: list = []
