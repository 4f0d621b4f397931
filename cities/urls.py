"""Region-scoped city pages (mounted at /r/<region_slug>/cities/). Each views module lists
its own patterns, so features can grow without editing one long file."""

from .views import board, city, dialogues, importing, scoring, table

urlpatterns = [*table.urlpatterns, *board.urlpatterns, *importing.urlpatterns,
               *scoring.urlpatterns, *city.urlpatterns, *dialogues.urlpatterns]
