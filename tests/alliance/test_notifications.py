from datetime import timedelta

from django.core import mail
from django.db import transaction
from django.utils import timezone

from alliance.models import Notification
from alliance.services.notifications import notify
from alliance.tasks import deliver_notification, sweep_notifications
from tests.factories import NotificationFactory


def test_a_notification_is_delivered_once_after_commit(cast, django_capture_on_commit_callbacks):
    user = cast.home.expert
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(recipient=user, key="test:once", subject="Agenda fixed", url="/")
        assert mail.outbox == []  # nothing leaves before the change commits
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Agenda fixed"]
    note = Notification.objects.get(key="test:once")
    # A retried job finds it delivered and sends nothing.
    assert deliver_notification(note.pk) is False
    assert len(mail.outbox) == 1


def test_the_same_key_twice_makes_one_notification(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=cast.home.expert, key="approval:1:decided", subject="One")
        second = notify(recipient=cast.home.expert, key="approval:1:decided", subject="Two")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_notification(cast):
    try:
        with transaction.atomic():
            notify(recipient=cast.home.expert, key="test:rollback", subject="Never")
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert not Notification.objects.filter(key="test:rollback").exists()


def test_the_sweep_delivers_what_the_broker_lost(cast):
    old = timezone.now() - timedelta(minutes=10)
    lost = NotificationFactory(recipient=cast.home.expert, created_at=old)
    fresh = NotificationFactory(recipient=cast.home.expert)  # its own task may still come
    done = NotificationFactory(recipient=cast.home.expert, created_at=old,
                               delivered_at=timezone.now())
    assert sweep_notifications() == 1
    lost.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    assert lost.delivered_at and lost.attempts == 1
    assert fresh.delivered_at is None
    assert [m.subject for m in mail.outbox] == [lost.subject]
    assert sweep_notifications() == 0  # a second sweep sends nothing again


def test_the_bell_shows_the_unread_count_and_opening_marks_read(cast, client):
    user = cast.home.expert
    first = NotificationFactory(recipient=user, subject="First", url="/profile/")
    NotificationFactory(recipient=user, subject="Second")
    NotificationFactory(recipient=cast.home.city_contact, subject="Not yours")
    client.force_login(user)
    page = client.get(f"/r/{cast.home.region.slug}/").content.decode()
    bell = page.split('id="notification-bell"', 1)[1].split("</a>", 1)[0]
    assert ">2<" in bell
    listing = client.get("/notifications/").content.decode()
    assert "First" in listing and "Not yours" not in listing
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response["Location"] == "/profile/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post("/notifications/read-all/")
    page = client.get(f"/r/{cast.home.region.slug}/").content.decode()
    assert 'class="badge"' not in page


def test_opening_someone_elses_notification_is_not_found(cast, client):
    theirs = NotificationFactory(recipient=cast.home.city_contact)
    client.force_login(cast.home.expert)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_external_link_in_a_notification_is_not_followed(cast, client):
    note = NotificationFactory(recipient=cast.home.expert, url="https://evil.example/")
    client.force_login(cast.home.expert)
    assert client.post(f"/notifications/{note.pk}/open/")["Location"] == "/notifications/"


def test_the_bell_refreshes_in_place_with_the_new_count(cast, client):
    client.force_login(cast.home.expert)
    assert 'class="badge"' not in client.get("/notifications/bell/").content.decode()
    NotificationFactory(recipient=cast.home.expert)
    bell = client.get("/notifications/bell/", HTTP_HX_REQUEST="true").content.decode()
    assert bell.strip().startswith('<a class="bell"') and ">1<" in bell


def test_an_invitee_is_written_to_in_the_regions_language(cast, client,
                                                          django_capture_on_commit_callbacks):
    from django.conf import settings

    from alliance.models import Region

    Region.objects.filter(pk=cast.home.region.pk).update(default_language="es")
    client.force_login(cast.home.regional_secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the inviter reads English
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/r/{cast.home.region.slug}/invitations/",
                    {"email": "nueva@example.org", "role": "expert"})
    [invitation_mail] = mail.outbox
    assert invitation_mail.subject == "Invitación al Portal de la Alianza"
    assert "You are invited" not in invitation_mail.body



def test_a_notification_shows_its_time_in_its_regions_zone(cast, client_for):
    NotificationFactory(recipient=cast.home.regional_secretariat, region=cast.home.region,
                        subject="Zone check")
    page = client_for(cast.home.regional_secretariat).get("/notifications/").content.decode()
    assert "JST" in page and "UTC" not in page  # Aurora keeps Asia/Tokyo time
