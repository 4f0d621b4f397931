"""The experts area 'groups': pages."""

urlpatterns: list = []
