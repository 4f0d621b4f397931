"""Error pages: JSON under /api/, the portal's own page elsewhere."""

from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error

from ..api_errors import api_not_found, api_server_error


def not_found(request, exception=None):
    if request.path_info.startswith("/api/"):
        return api_not_found(request, exception)
    return page_not_found(request, exception)


def server_error(request):
    if request.path_info.startswith("/api/"):
        return api_server_error(request)
    return html_server_error(request)
