"""The experts app's pages across regions: /global/experts/ (the global Terms of Reference)."""

from .views import terms

urlpatterns: list = list(terms.global_urlpatterns)
