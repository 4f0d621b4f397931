"""The assessment app's pages in a region: /r/<region>/assessments/. Each views module
lists its own patterns."""

from .views import answering, review
from .views import benchmarks as benchmark_pages
from .views import campaigns as campaign_pages
from .views import case_studies as case_study_pages
from .views import questionnaires as questionnaire_pages
from .views import reports as report_pages
from .views import roadmap as roadmap_pages

urlpatterns: list = []
urlpatterns += answering.urlpatterns
urlpatterns += review.urlpatterns
urlpatterns += roadmap_pages.urlpatterns
urlpatterns += questionnaire_pages.urlpatterns
urlpatterns += campaign_pages.urlpatterns
urlpatterns += benchmark_pages.urlpatterns
urlpatterns += report_pages.urlpatterns
urlpatterns += case_study_pages.urlpatterns
