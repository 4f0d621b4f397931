from allauth.account.models import EmailAddress
from django.core import mail

from tests.factories import PASSWORD


def test_signing_in_with_email_and_password_lands_on_the_dashboard(cast, client):
    response = client.post("/accounts/login/", {"login": cast.home.expert.email,
                                                "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/r/aurora/"


def test_open_sign_up_is_closed(db, client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_an_unverified_email_cannot_sign_in(cast, client):
    EmailAddress.objects.filter(user=cast.home.expert).update(verified=False)
    response = client.post("/accounts/login/", {"login": cast.home.expert.email,
                                                "password": PASSWORD}, follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "/accounts/confirm-email/" in response.redirect_chain[-1][0]
    assert any(cast.home.expert.email in m.to for m in mail.outbox)


def test_repeated_wrong_passwords_are_rate_limited(cast, client):
    form = {"login": cast.home.expert.email, "password": "wrong password!"}
    pages = [client.post("/accounts/login/", form).content.decode() for _ in range(6)]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    response = client.post("/accounts/login/", {**form, "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


def test_a_password_reset_mail_reaches_a_known_address_only(cast, client):
    client.post("/accounts/password/reset/", {"email": cast.home.expert.email})
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    reset = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert [m.to for m in reset] == [[cast.home.expert.email]]


def test_the_login_page_explains_invitations_instead_of_offering_sign_up(db, client):
    page = client.get("/accounts/login/").content.decode()
    assert "by invitation" in page
    assert "/accounts/signup/" not in page
