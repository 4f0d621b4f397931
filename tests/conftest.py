"""Shared fixtures. Fixtures run unscoped; test bodies run with no scope active, so code
that forgets its region fails here (as in pretix's conftest).

The cast (healthchecks-style): two regions, `home` and `foreign`, each with a regional
secretariat, a forum reviewer, a city contact and an expert; plus one Global Secretariat
user, one cross-region reviewer and an outsider with no membership."""

from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSessionManager
from allauth.usersessions.views import ListUserSessionsView
from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django_scopes import scopes_disabled
from rest_framework.test import APIClient
from zeal import zeal_ignore
from zeal.listeners import setup as zeal_setup
from zeal.listeners import teardown as zeal_teardown

from alliance.models import Role
from assessments.queries import forget_published_versions

from .factories import MembershipFactory, RegionFactory, UserFactory

REGIONAL_ROLES = [Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER, Role.CITY_CONTACT, Role.EXPERT]


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    with scopes_disabled():
        return (yield)


@task_prerun.connect
def _zeal_in_tasks(task_id=None, task=None, **kwargs):
    """Tasks get the N+1 check that the zeal middleware gives requests."""
    _zeal_tokens[task_id] = zeal_setup()


@task_postrun.connect
def _zeal_out_of_tasks(task_id=None, **kwargs):
    zeal_teardown(_zeal_tokens.pop(task_id, None))


_zeal_tokens: dict = {}


def _without_zeal(method):
    def wrapped(*args, **kwargs):
        with zeal_ignore():
            return method(*args, **kwargs)

    return wrapped


# allauth checks and ends each of a person's few sessions one by one (at sign-in and on the
# sessions page): a query per session by design, not a per-row bug of ours.
ListUserSessionsView.dispatch = _without_zeal(ListUserSessionsView.dispatch)
UserSessionManager.purge_and_list = _without_zeal(UserSessionManager.purge_and_list)


@pytest.fixture(autouse=True)
def _fresh_question_cache():
    # A rolled-back test's version ids come back in the next test.
    forget_published_versions()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fast_static(settings, tmp_path_factory):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Whitenoise indexes STATIC_ROOT whenever a test client starts a handler: after a
    # `collectstatic` (make loadtest) that is some 2,000 files a request. Tests serve
    # static files from the apps' folders instead.
    settings.STATIC_ROOT = tmp_path_factory.getbasetemp() / "no-collected-static"
    settings.STATIC_ROOT.mkdir(exist_ok=True)


def with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def member(role, region=None, **user_kwargs):
    """A user holding `role` in `region` (None: across regions), with TOTP where required."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, region=region, role=role)
    if role in (Role.GLOBAL_SECRETARIAT, Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER):
        with_totp(user)
    return user


@dataclass
class Team:
    region: object
    regional_secretariat: object
    forum_reviewer: object
    city_contact: object
    expert: object

    def by_role(self, role):
        return getattr(self, role)


def _team(region):
    return Team(region, *(member(role, region) for role in REGIONAL_ROLES))


@dataclass
class Cast:
    home: Team
    foreign: Team
    global_secretariat: object
    global_reviewer: object
    outsider: object


@pytest.fixture
def cast(db):
    # Django caches content types per process, as a served portal has them after its first
    # requests. Cold, a request that audits two kinds of object (a letter and its city) looks
    # up each on its own, and zeal would take the pair for an N+1 depending on test order.
    ContentType.objects.get_for_models(*apps.get_models())
    home = RegionFactory(name="Aurora", slug="aurora", time_zone="Asia/Tokyo")
    foreign = RegionFactory(name="Borealis", slug="borealis", time_zone="America/Bogota")
    return Cast(
        home=_team(home),
        foreign=_team(foreign),
        global_secretariat=member(Role.GLOBAL_SECRETARIAT, None),
        global_reviewer=member(Role.FORUM_REVIEWER, None),
        outsider=UserFactory(),
    )


@pytest.fixture
def secretariat(cast, client):
    """A browser signed in as the home region's regional secretariat."""
    client.force_login(cast.home.regional_secretariat)
    return client


@pytest.fixture
def api():
    """An API client, signed in to nothing yet."""
    return APIClient()


@pytest.fixture
def api_secretariat(cast, api):
    """The API as the home region's regional secretariat."""
    api.force_authenticate(cast.home.regional_secretariat)
    return api


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
