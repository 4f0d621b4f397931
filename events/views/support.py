"""Pages of the events app's support area."""

urlpatterns: list = []
