"""Region-scoped outreach pages (mounted at /r/<region_slug>/outreach/)."""

from .views import letters, library, partners

urlpatterns = [*letters.urlpatterns, *partners.urlpatterns, *library.urlpatterns]
