import time

import pytest

from alliance.models import Role
from tests.conftest import REGIONAL_ROLES
from tests.factories import MembershipFactory, UserFactory

MFA_ROLES = [Role.REGIONAL_SECRETARIAT, Role.FORUM_REVIEWER]


def _without_totp(role, region):
    user = UserFactory()
    MembershipFactory(user=user, region=region, role=role)
    return user


@pytest.mark.parametrize("role", REGIONAL_ROLES)
def test_mfa_is_required_before_any_page_for_secretariat_and_reviewer_roles(cast, client, role):
    client.force_login(_without_totp(role, cast.home.region))
    response = client.get(f"/r/{cast.home.region.slug}/")
    if role in MFA_ROLES:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        assert client.get("/profile/").status_code == 302
    else:
        assert response.status_code == 200


def test_the_global_secretariat_needs_mfa_too(cast, client):
    user = UserFactory()
    MembershipFactory(user=user, region=None, role=Role.GLOBAL_SECRETARIAT)
    client.force_login(user)
    assert client.get("/global/")["Location"] == "/accounts/2fa/totp/activate/"


def test_the_mfa_setup_page_itself_stays_reachable(cast, client):
    client.force_login(_without_totp(Role.REGIONAL_SECRETARIAT, cast.home.region))
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert page.status_code == 200


def test_with_totp_the_secretariat_reaches_its_pages(cast, client):
    client.force_login(cast.home.regional_secretariat)
    assert client.get(f"/r/{cast.home.region.slug}/").status_code == 200


def test_the_api_answers_json_when_mfa_is_missing(cast, client):
    client.force_login(_without_totp(Role.REGIONAL_SECRETARIAT, cast.home.region))
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_demo_mode_waives_mfa_with_a_visible_banner(cast, client, settings):
    settings.DEMO = True
    client.force_login(_without_totp(Role.REGIONAL_SECRETARIAT, cast.home.region))
    page = client.get(f"/r/{cast.home.region.slug}/")
    assert page.status_code == 200
    assert b"Demo mode" in page.content


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_a_secretariat_session_ends_after_30_idle_minutes(cast, client):
    client.force_login(cast.home.regional_secretariat)
    client.get(f"/r/{cast.home.region.slug}/")
    _age_session(client, seen_at=31 * 60)
    response = client.get(f"/r/{cast.home.region.slug}/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/"
    assert b"30 idle minutes" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_an_expert_is_not_signed_out_for_idling(cast, client):
    client.force_login(cast.home.expert)
    client.get(f"/r/{cast.home.region.slug}/")
    _age_session(client, seen_at=31 * 60)
    assert client.get(f"/r/{cast.home.region.slug}/").status_code == 200


def test_every_session_ends_after_12_hours(cast, client):
    client.force_login(cast.home.expert)
    client.get(f"/r/{cast.home.region.slug}/")
    _age_session(client, signed_in_at=12 * 3600 + 60, seen_at=10)
    response = client.get(f"/r/{cast.home.region.slug}/", follow=True)
    assert b"12-hour limit" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_recent_activity_keeps_a_secretariat_signed_in(cast, client):
    client.force_login(cast.home.regional_secretariat)
    client.get(f"/r/{cast.home.region.slug}/")
    _age_session(client, seen_at=29 * 60)
    assert client.get(f"/r/{cast.home.region.slug}/").status_code == 200


def test_passwords_shorter_than_12_characters_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("Short1!xyzq")
    validate_password("twelve chars long enough ok")


def test_changing_email_asks_to_sign_in_again(cast, client):
    client.force_login(cast.home.expert)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


def test_others_sessions_are_listed_and_can_be_ended(cast, client):
    from django.test import Client

    from tests.factories import PASSWORD

    other = Client()
    form = {"login": cast.home.expert.email, "password": PASSWORD}
    for browser in (other, client):
        assert browser.post("/accounts/login/", form).status_code == 302
    page = client.get("/accounts/sessions/").content.decode()
    assert page.count("<tr") >= 3  # header + this session + the other one
    client.post("/accounts/sessions/", {})
    assert other.get(f"/r/{cast.home.region.slug}/").status_code == 302  # signed out
    assert client.get(f"/r/{cast.home.region.slug}/").status_code == 200


def test_platform_admins_need_mfa_too(db, client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org",
                                                       password="x" * 20)
    client.force_login(admin)
    assert client.get("/global/")["Location"] == "/accounts/2fa/totp/activate/"
