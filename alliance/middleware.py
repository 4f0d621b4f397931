"""Session limits and the MFA rule for secretariat and reviewer roles."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import permissions

# Pages a person must reach to sign in, sign out or set up MFA.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invitations/accept/", "/healthz")
SEEN_EVERY = 60  # seconds between writes of the last-seen time


class SessionLimitsMiddleware:
    """12 hours at most from sign-in; 30 idle minutes for secretariat and reviewer roles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    def _expired(self, request) -> str | None:
        session, now = request.session, int(time.time())
        signed_in_at = session.setdefault("signed_in_at", now)
        seen_at = session.get("seen_at", now)
        if now - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
            return _("Your session reached its 12-hour limit. Please sign in again.")
        idle_limited = permissions.all_roles(request.user) & permissions.IDLE_LIMITED_ROLES
        if idle_limited and now - seen_at > settings.SESSION_IDLE_LIMIT.total_seconds():
            return _("You were signed out after 30 idle minutes. Please sign in again.")
        if now - seen_at >= SEEN_EVERY or "seen_at" not in session:
            session["seen_at"] = now
        return None


def needs_mfa_setup(user) -> bool:
    """Secretariat and reviewer roles must have TOTP before they reach any page of theirs."""
    if not user.is_authenticated or settings.DEMO:
        return False
    # Platform admins can do everything, so they need a second factor most of all.
    if not (user.is_superuser or permissions.all_roles(user) & permissions.MFA_REQUIRED_ROLES):
        return False
    if "_has_totp" not in user.__dict__:
        user.__dict__["_has_totp"] = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP).exists()
    return not user.__dict__["_has_totp"]


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(OPEN_PREFIXES) or not needs_mfa_setup(request.user):
            return self.get_response(request)
        message = _("Your role requires two-factor authentication. Set it up to continue.")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")
