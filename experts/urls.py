"""The experts app's pages in a region: /r/<region>/experts/. Each views module lists its own
patterns."""

from .views import groups, people, pipeline, terms

urlpatterns: list = []
urlpatterns += pipeline.urlpatterns
urlpatterns += terms.urlpatterns
urlpatterns += groups.urlpatterns
urlpatterns += people.urlpatterns
