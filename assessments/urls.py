"""The assessment app's pages in a region: /r/<region>/assessments/. Each views module
lists its own patterns."""

urlpatterns: list = []
