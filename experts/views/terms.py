"""The experts area 'terms': pages."""

urlpatterns: list = []
global_urlpatterns: list = []
