"""The network's own assessment pages, for the Global Secretariat: /global/assessments/
(the Policy Roadmap, questionnaires, the global benchmark). Named in the "global" namespace."""

from .views import benchmarks as benchmark_pages
from .views import questionnaires as questionnaire_pages
from .views import roadmap as roadmap_pages

urlpatterns: list = []
urlpatterns += roadmap_pages.global_urlpatterns
urlpatterns += questionnaire_pages.global_urlpatterns
urlpatterns += benchmark_pages.global_urlpatterns
