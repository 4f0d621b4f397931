"""Region-scoped outreach pages (mounted at /r/<region_slug>/outreach/)."""

from .views import letter_templates, letters, library, partners

urlpatterns = [*letters.urlpatterns, *letter_templates.urlpatterns, *partners.urlpatterns,
               *library.urlpatterns]
