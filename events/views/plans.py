"""Pages of the events app's plans area."""

urlpatterns: list = []
