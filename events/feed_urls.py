"""Calendar feeds, read by calendar applications without a session: /calendar/<token>.ics.
The secret token names the feed (and its region or person)."""

from .views.attendance import feed_urlpatterns

urlpatterns: list = [*feed_urlpatterns]
