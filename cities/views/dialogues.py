"""The monthly dialogue with every city: logging one, a city's dialogues, the coverage view."""

urlpatterns: list = []
