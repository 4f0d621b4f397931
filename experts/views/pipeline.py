"""The experts area 'pipeline': pages."""

urlpatterns: list = []
