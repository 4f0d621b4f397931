"""The experts area 'people': pages."""

urlpatterns: list = []
