"""Model-policy implementation support in a region: /r/<region>/support/ (workplans, their
templates, support activities)."""

from .views import support

urlpatterns: list = list(support.urlpatterns)
