"""The language switcher: Django's set_language, and the person remembers the choice."""

from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as set_cookie_language

from ..services.notifications import remember_language


def set_language(request):
    """The cookie makes this browser speak the language; the account keeps it, so what is
    written to the person later (notifications, emails) is in it too."""
    response = set_cookie_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(actor=request.user,
                          language=request.POST.get(LANGUAGE_QUERY_PARAMETER, ""))
    return response
