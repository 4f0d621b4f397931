"""API errors are JSON with field details: never HTML, never a traceback."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        field = exc.field or "non_field_errors"
        exc = exceptions.ValidationError({field: [exc.message]})
    return drf_exception_handler(exc, context)


def json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def api_not_found(request, exception=None):
    return json_error(404, _("Not found."))


def api_server_error(request):
    return json_error(500, _("Server error. It has been logged."))
