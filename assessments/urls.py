"""The assessment app's pages in a region: /r/<region>/assessments/. Each views module
lists its own patterns."""

from .views import answering, review
from .views import questionnaires as questionnaire_pages
from .views import roadmap as roadmap_pages

urlpatterns: list = []
urlpatterns += answering.urlpatterns
urlpatterns += review.urlpatterns
urlpatterns += roadmap_pages.urlpatterns
urlpatterns += questionnaire_pages.urlpatterns
