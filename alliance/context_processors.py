from django.conf import settings

from . import navigation, permissions
from .services.notifications import unread_count


def portal(request):
    user = request.user
    if not user.is_authenticated:
        return {"demo_mode": settings.DEMO}
    region = getattr(request, "region", None)
    return {
        "demo_mode": settings.DEMO,
        "current_region": region,
        "my_regions": permissions.regions_of(user),
        "may_enter_global": permissions.may_enter_global(user),
        "nav_items": navigation.items_for(user, region),
        "unread_notifications": unread_count(user),
    }
