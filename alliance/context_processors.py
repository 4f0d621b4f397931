from django.conf import settings
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import navigation, permissions
from .services.notifications import unread_count


def portal(request):
    """What the layout shows around every page: the menu, the region switcher, the bell.

    Worked out once per request: a partial rendered with the request (an approval's subject,
    say) runs the context processors again."""
    user = request.user
    if not user.is_authenticated:
        return {"demo_mode": settings.DEMO}
    region = getattr(request, "region", None)
    done = request.__dict__.get("_portal_context")
    if done is None or done[0] != (user.pk, region):
        done = (user.pk, region), _layout(user, region)
        request._portal_context = done
    return done[1]


def _layout(user, region) -> dict:
    return {
        "demo_mode": settings.DEMO,
        "current_region": region,
        # Every region for the Global Secretariat: a query that only a full page needs, not
        # the bell that refreshes itself every minute.
        "my_regions": SimpleLazyObject(lambda: permissions.regions_of(user)),
        "may_enter_global": permissions.may_enter_global(user),
        "nav_items": nav_items(user, region),
        "unread_notifications": unread_count(user),
    }


# (roles, region, language, script prefix) -> menu; a few entries per region and language.
_MENUS: dict[tuple, list[dict]] = {}


def nav_items(user, region) -> list[dict]:
    """The menu of `navigation.items_for`, made once for everyone with the same roles where
    they are: it depends only on those, the region and the language. A change of membership
    changes the roles, and so the key; nothing has to be forgotten."""
    key = (permissions.roles_of(user, region), permissions.roles_of(user, None),
           user.is_superuser, region.slug if region else None, get_language(),
           get_script_prefix())
    if key not in _MENUS:
        _MENUS[key] = [{**item, "label": str(item["label"])}
                       for item in navigation.items_for(user, region)]
    return _MENUS[key]
