"""The tenancy isolation check: every URL pattern, every role, against another region.

It walks the URL resolver, so a new view or API route is covered without anyone writing a
test for it. For each pattern it builds paths that name the foreign region or a foreign
object, requests them (GET and POST) as each member of the home region, an outsider and an
anonymous visitor, and reports every response that
  - fails with a server error,
  - shows a marker of the foreign region's data, or
  - lets a home user into a page under the foreign region's slug;
then checks that no foreign row changed.

A URL keyword the check cannot fill is itself reported: teach `values_for` its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from alliance.tenancy import unscoped

REGION_ONLY_STATUSES = {301, 302, 401, 403, 404, 405}
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # "r/<slug:region_slug>/approvals/<int:approval_id>/"
    callback: object

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in ROUTE_PARAM.finditer(self.template)]


def all_routes(resolver=None, prefix="") -> list[Route]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        piece = _plain(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += all_routes(entry, prefix + piece)
        elif isinstance(entry, URLPattern):
            routes.append(Route(prefix + piece, entry.callback))
    return routes


def _plain(pattern) -> str:
    """A regex pattern turned into the <name> form a RoutePattern uses."""
    text = str(pattern)
    if not isinstance(pattern, RegexPattern):
        return text
    text = REGEX_PARAM.sub(lambda m: f"<{m.group('name')}>", text)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def build(template: str, values: dict[str, str]) -> str:
    return "/" + ROUTE_PARAM.sub(lambda m: values[m.group("name")], template)


@dataclass
class Finding:
    path: str
    method: str
    who: str
    problem: str

    def __str__(self):
        return f"{self.method} /{self.path.lstrip('/')} as {self.who}: {self.problem}"


def check_isolation(*, visitors: dict, foreign_values: dict, home_values: dict,
                    markers: list[str], foreign_rows) -> list[Finding]:
    """Request every route as every visitor; return what leaked (empty list: isolated)."""
    findings = []
    before = foreign_rows()
    for route in all_routes():
        missing = [p for p in route.params if p not in foreign_values]
        if missing:
            findings.append(Finding(route.template, "-", "-",
                                    f"no isolation value for URL keyword(s) {missing}"))
            continue
        for variant, values in _variants(route, foreign_values, home_values):
            path = build(route.template, values)
            if resolve(path).func is not route.callback:
                continue  # shadowed by an earlier pattern, which is probed on its own
            for who, user in visitors.items():
                for method in ("get", "post"):
                    problem = _probe(user, method, path, markers,
                                     foreign_slug=variant == "foreign-region")
                    if problem:
                        findings.append(Finding(path, method.upper(), who, problem))
    if foreign_rows() != before:
        findings.append(Finding("*", "*", "*", "a request changed the foreign region's rows"))
    return findings


def _variants(route, foreign_values, home_values):
    """Under the foreign slug; and under the home slug but naming foreign objects."""
    if "region_slug" not in route.params:
        return [("objects", foreign_values)]
    return [("foreign-region", foreign_values),
            ("foreign-objects", {**foreign_values, "region_slug": home_values["region_slug"]})]


def _probe(user, method, path, markers, *, foreign_slug) -> str | None:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(path)
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    shown = [m for m in markers if m in text]
    if shown:
        return f"shows foreign data {shown} (status {response.status_code})"
    if foreign_slug and response.status_code not in REGION_ONLY_STATUSES:
        return f"entered the foreign region (status {response.status_code})"
    return None


def rows_of(region, users) -> dict:
    """A snapshot of every row that belongs to `region` or to one of `users`."""
    from django.apps import apps

    user_ids = {u.pk for u in users}
    snapshot = {}
    with unscoped(reason="isolation test compares the foreign region's rows"):
        for model in apps.get_models():
            filters = _ownership_filters(model, region, user_ids)
            if filters is None:
                continue
            rows = model._base_manager.filter(filters).order_by("pk").values()
            snapshot[model._meta.label] = [tuple(sorted(r.items(), key=str)) for r in rows]
    return snapshot


def _ownership_filters(model, region, user_ids):
    from django.contrib.auth import get_user_model

    query = None
    User = get_user_model()
    if model is User:
        return models.Q(pk__in=user_ids)
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        if field.related_model._meta.label == "alliance.Region":
            clause = models.Q(**{field.name: region})
        elif field.related_model is User:
            clause = models.Q(**{f"{field.name}__in": user_ids})
        else:
            continue
        query = clause if query is None else query | clause
    return query
