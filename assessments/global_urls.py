"""The network's own assessment pages, for the Global Secretariat: /global/assessments/
(the Policy Roadmap, questionnaires, the global benchmark). Named in the "global" namespace."""

urlpatterns: list = []
