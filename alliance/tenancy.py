"""The tenancy choke point: the only place that turns a URL's region into an active scope.

Three doors call `resolve_region`: the page middleware, the API permission class and the
Celery base task (with commands using `RegionCommand`). Each then runs its body inside
`scope(region=...)`; tenant models use django-scopes' ScopedManager, so a query that
forgets the region raises instead of leaking. Another region's object answers 404, the same
as a missing one.
"""

from __future__ import annotations

import zoneinfo
from contextlib import contextmanager

import celery
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled
from rest_framework.permissions import BasePermission

from . import permissions
from .models import Region

NOT_FOUND = gettext_lazy("Not found, or you have no access to it.")
GLOBAL_NAMESPACE = "global"


def resolve_region(user, slug: str) -> Region:
    """The region named by `slug`, if this user may enter it; 404 otherwise."""
    region = Region.objects.filter(slug=slug).first()
    if region is None or not user.is_authenticated:
        raise Http404(NOT_FOUND)
    if not permissions.may_enter_region(user, region):
        raise Http404(NOT_FOUND)
    return region


@contextmanager
def region_scope(region: Region | None):
    """Activate a region (or, with None, the deliberate all-regions view of /global/)."""
    tz = zoneinfo.ZoneInfo(region.time_zone) if region else timezone.get_default_timezone()
    with scope(region=region), timezone.override(tz):
        yield


@contextmanager
def unscoped(*, reason: str):
    """Step outside every scope. Loud on purpose: grep for `unscoped(` to audit them all."""
    assert reason, "say why this code may see every region"
    with scopes_disabled():
        yield


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class TenancyMiddleware:
    """Wraps the view *and* the rendering of its response in the region's scope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.region = None
        self._speak_chosen_language(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("region_slug")
        if slug is not None:
            return self._region_door(request, slug)
        if GLOBAL_NAMESPACE in match.namespaces:
            return self._global_door(request)
        return self.get_response(request)

    def _region_door(self, request, slug):
        if _is_api(request):
            # The API authenticates inside DRF (tokens); RegionAccess checks membership there.
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                raise Http404(NOT_FOUND)
        else:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            region = resolve_region(request.user, slug)
        request.region = region
        return self._respond(request, region)

    def _global_door(self, request):
        if not _is_api(request):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.may_enter_global(request.user):
                raise Http404(NOT_FOUND)
        return self._respond(request, None)

    def _respond(self, request, region):
        if self._speaks_region_language(request, region):
            translation.activate(region.default_language)
            request.LANGUAGE_CODE = region.default_language
        with region_scope(region):
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    @staticmethod
    def _speak_chosen_language(request) -> None:
        """A person who chose a language on another device reads it here too: the account
        remembers it where this browser has no language cookie yet. Not the API: its
        answers follow Accept-Language."""
        chosen = getattr(request.user, "language", "")
        if chosen and not _is_api(request) and (
                settings.LANGUAGE_COOKIE_NAME not in request.COOKIES):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen

    @staticmethod
    def _speaks_region_language(request, region) -> bool:
        """Until a person picks a language, their own region's pages speak its default.

        Never the API (its answers, 404s included, would name the region's language to
        anyone probing slugs) and never for visitors from /global/ (an approver following
        a link into a region keeps the language they read the request in)."""
        return bool(region and not _is_api(request)
                    and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                    and not getattr(request.user, "language", "")
                    and permissions.is_member_of(request.user, region))


class RegionAccess(BasePermission):
    """The API door: every endpoint under /api/v1/regions/<slug>/ or /api/v1/global/."""

    message = NOT_FOUND

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        slug = view.kwargs.get("region_slug")
        if slug is not None:
            resolve_region(request.user, slug)
        elif (request.resolver_match and GLOBAL_NAMESPACE in request.resolver_match.namespaces
              and not permissions.may_enter_global(request.user)):
            raise Http404(NOT_FOUND)
        action = getattr(view, "action_permission", None)
        if action:
            return permissions.can(request.user, action, region=getattr(request, "region", None))
        return True


class RegionTask(celery.Task):
    """Base for tasks about one region: pass `region_id`; the body runs in that scope."""

    typing = False  # the body takes `region`, callers pass `region_id`

    def __call__(self, *args, region_id: int, **kwargs):
        region = Region.objects.get(pk=region_id)
        with region_scope(region):
            return super().__call__(*args, region=region, **kwargs)


class RegionCommand(BaseCommand):
    """Base for management commands that work inside one region (`--region <slug>`)."""

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="slug of the region to work in")

    def execute(self, *args, **options):
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"No region with slug {options['region']!r}.")
        options["region"] = region
        with region_scope(region):
            return super().execute(*args, **options)
