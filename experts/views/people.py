"""The experts area 'people': key stakeholders beyond cities (views/stakeholders.py), the
region's expert directory (views/directory.py) and the expert's own pages (views/portal.py)."""

from . import directory, portal, stakeholders

urlpatterns: list = [*stakeholders.urlpatterns, *directory.urlpatterns, *portal.urlpatterns]
