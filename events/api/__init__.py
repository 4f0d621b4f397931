"""The events app's REST endpoints, one module per area, each listing its routes."""

from . import attendance, plans, support

AREAS = (plans, attendance, support)
REGION_ROUTES = [route for area in AREAS for route in area.REGION_ROUTES]
