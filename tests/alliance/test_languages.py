"""No English on a Spanish page: what the portal stored (a stage move, an approval, a
notification, a region's name) reads in the reader's language, and numbers are typed and
shown as that language writes them."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django_scopes import scope

from alliance.models import Notification, Region
from alliance.services import notifications
from cities.models import Criterion, Stage
from cities.services import pipeline
from outreach.services import letters
from outreach.services.letter_templates import merge_values
from tests.factories import CityFactory, ContactFactory, CriterionFactory


@pytest.fixture(autouse=True)
def _restore_language():
    """Pages activate languages in this thread; leave English for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home(cast):
    return cast.home.region


@pytest.fixture
def speaking(client):
    """A browser signed in as `user`, reading the portal in `language`."""

    def sign_in(user, language):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return sign_in


def _clearance(cast, home, django_capture_on_commit_callbacks):
    """A clearance to approach a national government official, asked by the secretariat
    while reading English."""
    contact = ContactFactory(city=CityFactory(region=home, name="Medellín"), name="Director Abe",
                             is_national_government=True)
    with django_capture_on_commit_callbacks(execute=True), scope(region=home):
        return letters.request_engagement_clearance(actor=cast.home.regional_secretariat,
                                                    contact=contact)


# Stage names inside history sentences ------------------------------------------------------

def test_a_spanish_timeline_names_the_stages_of_a_move_in_spanish(cast, home, speaking):
    city = CityFactory(region=home, name="Cali", stage=Stage.COMMITTED)
    with scope(region=home):
        pipeline.advance_stage(actor=cast.home.regional_secretariat, city=city, to=Stage.MEMBER)

    page = speaking(cast.home.regional_secretariat, "es").get(
        f"/r/{home.slug}/cities/{city.pk}/").content.decode()

    assert "Pasó de Comprometida a Miembro" in page
    assert "Committed" not in page


# Approval titles ---------------------------------------------------------------------------

def test_an_approval_asked_in_english_reads_in_spanish_on_a_spanish_page(
        cast, home, speaking, django_capture_on_commit_callbacks):
    approval = _clearance(cast, home, django_capture_on_commit_callbacks)
    assert approval.summary == "Approach Director Abe (national government official), Medellín"

    reviewer = speaking(cast.home.forum_reviewer, "es")
    listing = reviewer.get(f"/r/{home.slug}/approvals/").content.decode()
    detail = reviewer.get(f"/r/{home.slug}/approvals/{approval.pk}/").content.decode()

    title = "Contactar a Director Abe (funcionario del gobierno nacional), Medellín"
    assert title in listing and title in detail
    assert "national government official" not in listing + detail


def test_a_request_without_a_worded_title_shows_its_summary(cast, home):
    from tests.factories import ApprovalRequestFactory

    approval = ApprovalRequestFactory(region=home, summary="Invite Ana")
    with translation.override("es"):
        assert approval.title == "Invite Ana"


# Notifications and emails ------------------------------------------------------------------

def test_a_notification_is_written_in_its_recipients_language(
        cast, home, django_capture_on_commit_callbacks):
    cast.home.forum_reviewer.language = "es"
    cast.home.forum_reviewer.save(update_fields=["language"])

    _clearance(cast, home, django_capture_on_commit_callbacks)

    spanish = Notification.objects.get(recipient=cast.home.forum_reviewer)
    english = Notification.objects.get(recipient=cast.global_reviewer)
    assert spanish.subject == ("Se solicita su decisión: Autorización de contacto — Contactar "
                               "a Director Abe (funcionario del gobierno nacional), Medellín")
    assert english.subject.startswith("Your decision is asked: Engagement clearance — Approach")
    sent = {m.to[0]: m.subject for m in mail.outbox}
    assert sent[cast.home.forum_reviewer.email] == spanish.subject


def test_someone_who_chose_no_language_reads_their_regions(cast, home):
    Region.objects.filter(pk=home.pk).update(default_language="es")
    home.refresh_from_db()
    assert notifications.language_of(cast.home.expert, home) == "es"
    assert notifications.language_of(None, None) == settings.LANGUAGE_CODE
    cast.home.expert.language = "ja"
    assert notifications.language_of(cast.home.expert, home) == "ja"


def test_the_decision_is_told_in_the_requesters_language(
        cast, home, django_capture_on_commit_callbacks):
    from alliance.services.approvals import decide

    approval = _clearance(cast, home, django_capture_on_commit_callbacks)
    cast.home.regional_secretariat.language = "es"
    cast.home.regional_secretariat.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True), scope(region=home):
        decide(actor=cast.home.forum_reviewer, approval=approval, decision="approved")

    told = Notification.objects.get(key=f"approval:{approval.pk}:decided")
    assert told.subject.startswith("Autorización de contacto: Aprobada — Contactar a")


def test_switching_the_language_is_remembered_for_what_is_written_later(cast, client):
    user = cast.home.expert
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "pt-br", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-br"
    user.refresh_from_db()
    assert user.language == "pt-br"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "pt-br"


def test_the_chosen_language_follows_the_person_to_a_new_browser(cast, client, home):
    user = cast.home.regional_secretariat
    user.language = "es"
    user.save(update_fields=["language"])
    client.force_login(user)  # a browser with no language cookie yet

    assert 'lang="es"' in client.get("/profile/").content.decode()
    assert 'lang="es"' in client.get(f"/r/{home.slug}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"  # this browser chose otherwise
    assert 'lang="ja"' in client.get("/profile/").content.decode()


# Region names ------------------------------------------------------------------------------

def test_a_region_is_named_in_the_readers_language(cast, home, speaking):
    Region.objects.filter(pk=home.pk).update(name_translations={"es": "Japón", "ja": "日本"})

    spanish = speaking(cast.home.regional_secretariat, "es").get(
        f"/r/{home.slug}/cities/").content.decode()
    english = speaking(cast.home.regional_secretariat, "en").get(
        f"/r/{home.slug}/cities/").content.decode()

    assert "Japón" in spanish and "Aurora" not in spanish
    assert "Aurora" in english and "Japón" not in english


def test_a_letter_names_the_region_in_its_own_language(cast, home):
    Region.objects.filter(pk=home.pk).update(name_translations={"pt-br": "Japão"})
    city = CityFactory(region=Region.objects.get(pk=home.pk), name="Osaka")

    assert merge_values(city=city, contact=None, sender=None, language="pt-br")["region"] == (
        "Japão")
    assert merge_values(city=city, contact=None, sender=None, language="es")["region"] == (
        "Aurora")


def test_the_secretariat_names_its_region_in_each_language(cast, home, speaking):
    browser = speaking(cast.home.regional_secretariat, "en")
    response = browser.post(f"/r/{home.slug}/members/", {
        "phase": home.phase, "default_language": "es", "time_zone": home.time_zone,
        "name_ja": "オーロラ", "name_es": " ", "name_pt_br": "Aurora Boreal"})

    assert response.status_code == 302
    home.refresh_from_db()
    assert home.name_translations == {"ja": "オーロラ", "pt-br": "Aurora Boreal"}
    page = browser.get(f"/r/{home.slug}/members/").content.decode()
    assert 'value="オーロラ"' in page


# Decimal separators ------------------------------------------------------------------------

def test_a_spanish_reader_types_a_weight_with_a_decimal_comma(cast, home, speaking):
    criterion = CriterionFactory(region=home, name="Digital maturity", weight=1)
    browser = speaking(cast.home.regional_secretariat, "es")

    page = browser.get(f"/r/{home.slug}/cities/criteria/").content.decode()
    field = re.search(rf'<input[^>]*id="weight-{criterion.pk}"[^>]*>', page).group(0)
    assert 'inputmode="decimal"' in field and 'value="1,00"' in field
    assert 'type="number"' not in field

    browser.post(f"/r/{home.slug}/cities/criteria/{criterion.pk}/weight/", {"weight": "1,5"})

    with scope(region=home):
        assert Criterion.objects.get(pk=criterion.pk).weight == Decimal("1.5")
    page = browser.get(f"/r/{home.slug}/cities/criteria/").content.decode()
    assert 'value="1,50"' in page


@pytest.mark.parametrize("language, typed", [("en", "1.5"), ("ja", "1.5"), ("pt-br", "1,5")])
def test_every_language_types_a_weight_as_it_writes_decimals(
        cast, home, speaking, language, typed):
    criterion = CriterionFactory(region=home, weight=1)
    speaking(cast.home.regional_secretariat, language).post(
        f"/r/{home.slug}/cities/criteria/{criterion.pk}/weight/", {"weight": typed})
    with scope(region=home):
        assert Criterion.objects.get(pk=criterion.pk).weight == Decimal("1.5")


# Times and numbers -------------------------------------------------------------------------

def test_a_time_reads_in_the_regions_zone_in_the_readers_format(cast, home, speaking):
    from datetime import UTC, datetime

    from tests.factories import InvitationFactory

    # 00:30 UTC is 09:30 in Tokyo, the home region's zone.
    invitation = InvitationFactory(region=home, expires_at=datetime(2026, 3, 1, 0, 30, tzinfo=UTC))
    url = f"/r/{home.slug}/invitations/{invitation.pk}/"

    assert "01/03/2026 09:30 JST" in speaking(
        cast.home.regional_secretariat, "es").get(url).content.decode()
    assert "2026/03/01 9:30 JST" in speaking(
        cast.home.regional_secretariat, "ja").get(url).content.decode()


def test_a_population_is_grouped_alike_on_the_table_and_on_the_city_page(cast, home, speaking):
    city = CityFactory(region=home, name="São Paulo", population=12_300_000)
    browser = speaking(cast.home.regional_secretariat, "pt-br")

    for url in (f"/r/{home.slug}/cities/", f"/r/{home.slug}/cities/{city.pk}/"):
        assert "12.300.000" in browser.get(url).content.decode(), url
