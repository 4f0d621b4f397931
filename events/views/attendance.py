"""Pages of the events app's attendance area."""

urlpatterns: list = []
