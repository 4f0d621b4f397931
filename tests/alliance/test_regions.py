import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django_scopes import ScopeError

from alliance.models import Invitation, Role
from alliance.tenancy import RegionCommand, region_scope
from tests.factories import InvitationFactory, MembershipFactory


def test_a_member_of_two_regions_switches_from_the_header(cast, client):
    MembershipFactory(user=cast.home.regional_secretariat, region=cast.foreign.region,
                      role=Role.REGIONAL_SECRETARIAT)
    client.force_login(cast.home.regional_secretariat)
    choice = client.get("/").content.decode()  # two regions: a choice, not a guess
    assert 'href="/r/aurora/"' in choice and 'href="/r/borealis/"' in choice
    header = client.get(f"/r/{cast.home.region.slug}/").content.decode()
    assert '<option value="borealis"' in header and '<option value="aurora" selected' in header
    response = client.get("/switch-region/", {"region": "borealis"})
    assert response["Location"] == "/r/borealis/"
    assert client.get("/r/borealis/").status_code == 200


def test_switching_to_a_region_you_do_not_belong_to_goes_nowhere(cast, client):
    client.force_login(cast.home.expert)
    assert client.get("/switch-region/", {"region": "borealis"})["Location"] == "/"
    assert client.get("/r/borealis/").status_code == 404


def test_a_single_region_member_lands_on_its_dashboard(cast, client):
    client.force_login(cast.home.city_contact)
    assert client.get("/")["Location"] == "/r/aurora/"


def test_the_global_secretariat_lands_on_the_global_dashboard(cast, client):
    client.force_login(cast.global_secretariat)
    assert client.get("/")["Location"] == "/global/"
    page = client.get("/global/").content.decode()
    assert "Global Secretariat dashboard" in page


def test_dates_show_in_the_regions_time_zone(cast, client):
    # 2026-03-01 00:30 UTC is 09:30 in Tokyo and 19:30 the day before in Bogota.
    moment = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)
    home = InvitationFactory(region=cast.home.region, email="tz@example.org",
                             expires_at=moment)
    foreign = InvitationFactory(region=cast.foreign.region, email="tz@example.org",
                                expires_at=moment)
    client.force_login(cast.home.regional_secretariat)
    page = client.get(f"/r/aurora/invitations/{home.pk}/").content.decode()
    assert "1 Mar 2026, 09:30 JST" in page
    client.force_login(cast.foreign.regional_secretariat)
    page = client.get(f"/r/borealis/invitations/{foreign.pk}/").content.decode()
    assert "28 Feb 2026, 19:30 UTC-05" in page


def test_a_query_outside_any_scope_raises_instead_of_leaking(cast):
    InvitationFactory(region=cast.home.region)
    with pytest.raises(ScopeError):
        list(Invitation.objects.all())
    with region_scope(cast.foreign.region):
        assert list(Invitation.objects.all()) == []


class _CountInvitations(RegionCommand):
    def handle(self, *args, region, **options):
        return str(Invitation.objects.count())


def test_management_commands_enter_the_named_regions_scope(cast):
    InvitationFactory(region=cast.home.region)
    assert call_command(_CountInvitations(), region="aurora") == "1"
    assert call_command(_CountInvitations(), region="borealis") == "0"
    with pytest.raises(CommandError):
        call_command(_CountInvitations(), region="atlantis")


def test_region_tasks_run_in_their_regions_scope(cast):
    from alliance.celery import app
    from alliance.tenancy import RegionTask

    @app.task(base=RegionTask, name="tests.count_invitations")
    def count_invitations(region):
        return (region.slug, Invitation.objects.count())

    InvitationFactory(region=cast.home.region)
    result = count_invitations.delay(region_id=cast.foreign.region.pk).get()
    assert result == ("borealis", 0)
    assert count_invitations.delay(region_id=cast.home.region.pk).get() == ("aurora", 1)


def test_seed_demo_is_idempotent(db):
    from alliance.models import Membership, Region, User
    from alliance.tenancy import unscoped
    from cities.models import City

    call_command("seed_demo")
    counts = (Region.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Region.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    with unscoped(reason="count the demo cities of every region"):
        japan = City.objects.filter(region__slug="japan").values_list("name", flat=True)
        assert {"Maebashi", "Takamatsu", "Kibichuo"} <= set(japan)
    assert set(Region.objects.values_list("slug", flat=True)) == {"japan", "india",
                                                                  "latin-america"}


def test_production_settings_pass_the_deploy_check():
    env = {**os.environ, "DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example.org",
           "PORTAL_BASE_URL": "https://portal.example.org",
           "SECRET_KEY": "p" * 20 + "-production-secret-with-enough-entropy-0123456789abcdef",
           "ALLIANCE_TESTING": "0", "ALLIANCE_DEMO": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    show = "from django.conf import settings; print(settings.DEMO, settings.DEBUG)"
    demo = subprocess.run([sys.executable, "manage.py", "shell", "-c", show],
                          env=env, capture_output=True, text=True, timeout=120)
    assert demo.stdout.strip().splitlines()[-1] == "False False"


def test_responses_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
