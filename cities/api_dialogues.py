"""REST endpoints of the monthly dialogues with cities."""

REGION_ROUTES: list = []
