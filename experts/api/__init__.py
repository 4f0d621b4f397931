"""The experts app's REST endpoints, one module per area, each listing its routes."""

from . import groups, people, pipeline, terms

AREAS = (pipeline, terms, groups, people)
REGION_ROUTES = [route for area in AREAS for route in area.REGION_ROUTES]
GLOBAL_ROUTES = [route for area in AREAS for route in area.GLOBAL_ROUTES]
