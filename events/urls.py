"""The events app's pages in a region: /r/<region>/events/ (events, meetings, invitations,
minutes, calendar feeds). Each views module lists its own patterns."""

from .views import attendance, plans

urlpatterns: list = []
urlpatterns += plans.urlpatterns
urlpatterns += attendance.urlpatterns
