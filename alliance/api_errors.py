"""API errors are JSON with field details: never HTML, never a traceback, in every mode.

Two layers: DRF's exception handler shapes what the API's views raise, and
`ApiJsonMiddleware` catches the rest (routes that match no view, the tenancy door's 404,
Django's own 400/413 pages, DEBUG's technical pages) and answers JSON with the same status."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .parsers import RequestTooLarge

API_PREFIX = "/api/"
# Headers a client needs to act on the error (retry, authenticate, pick a method).
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")


def _not_found() -> str:
    # The same words for a region that does not exist and one the requester may not enter.
    from .tenancy import NOT_FOUND

    return str(NOT_FOUND)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        exc = exceptions.ValidationError({field: [exc.message]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_not_found())
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    return drf_exception_handler(exc, context)


def json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def api_not_found(request, exception=None):
    return json_error(404, _not_found())


def api_server_error(request):
    return json_error(500, _("Server error. It has been logged."))


def detail_for(status: int) -> str:
    if status == 404:
        return _not_found()
    if status >= 500:
        return _("Server error. It has been logged.")
    return {
        400: _("Bad request."),
        401: _("Authentication credentials were not provided."),
        403: _("You do not have permission to perform this action."),
        405: _("Method not allowed."),
        413: _("The request body is too large."),
    }.get(status, _("The request could not be completed."))


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in (
        "application/json", "application/problem+json", "application/vnd.oai.openapi+json")


class ApiJsonMiddleware:
    """Every answer under /api/ that is an error is JSON, whatever produced it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if _is_json(response) or response.streaming:
            return response
        replacement = json_error(response.status_code, detail_for(response.status_code))
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request, exception):
        # Django would answer a too-large body with a 400 page; the API says what happened.
        if request.path_info.startswith(API_PREFIX) and isinstance(exception, RequestDataTooBig):
            return json_error(413, detail_for(413))
        return None
