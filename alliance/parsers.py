"""Request body parsers for the API: bounded in size and depth, so a hostile body is a 400 or
a 413 with JSON details, never a 500 or a worker busy for seconds.

DRF reads the body as a stream and so skips Django's DATA_UPLOAD_MAX_MEMORY_SIZE check
(which only guards `request.body` and `request.POST`); these parsers apply the same limit."""

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json

# No portal input nests deeper than a list of objects inside an object; 32 leaves room.
MAX_DEPTH = 32


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def read_bounded(stream) -> bytes:
    """The whole body, refused with a 413 as soon as it passes the upload limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    body = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(body) > limit:
        raise RequestTooLarge()
    return body


def _too_deep(value) -> bool:
    # Walked with a stack, not recursion: the point is to survive hostile nesting.
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = read_bounded(stream)
        try:
            text = body.decode(encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error: nested too deeply.")) from None
        except ValueError as error:
            raise exceptions.ParseError(_("JSON parse error - %s") % error) from None
        if _too_deep(data):
            raise exceptions.ParseError(_("JSON parse error: nested too deeply."))
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        return QueryDict(read_bounded(stream), encoding=encoding)
