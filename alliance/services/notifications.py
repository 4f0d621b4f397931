"""The notifications outbox: a row written with the change, delivered later by a task.

A notification is written in its recipient's language (`in_language_of`), whoever's request
caused it: the email and the row on their notifications page read the same."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ..models import Notification


def language_of(recipient=None, region=None) -> str:
    """The language a person reads: the one they chose, else their region's, else the
    portal's (an invitee with no account yet reads the region's)."""
    if recipient is not None and recipient.language:
        return recipient.language
    return region.default_language if region is not None else settings.LANGUAGE_CODE


def remember_language(*, actor, language: str) -> None:
    """Keep the interface language a person picked (one of settings.LANGUAGES)."""
    if language in dict(settings.LANGUAGES) and actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])


def in_language_of(recipient=None, region=None):
    """Word a notification's subject and body inside this: `with in_language_of(user, region):`"""
    return translation.override(language_of(recipient, region))


def notify(*, recipient=None, email: str = "", key: str, subject: str, body: str = "",
           url: str = "", region=None) -> Notification:
    """Queue a notification. Call inside the transaction of the change that causes it.

    To a user (`recipient`: in-app and by email) or, for someone with no account yet such as
    an invitee, to a bare `email` address (email only). `key` is the natural idempotency key
    ("approval:12:decided"): a second call with the same key returns the existing row and
    queues nothing."""
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an email address.")
    existing = Notification.objects.filter(key=key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key, recipient=recipient, email="" if recipient else email,
                subject=subject[:200], body=body, url=url, region=region)
    except IntegrityError:  # the same key written at the same moment elsewhere
        return Notification.objects.get(key=key)
    from ..tasks import deliver_notification

    # Robust: the change is committed; a broker or SMTP failure here must not turn the request
    # into an error. The sweep delivers what this attempt did not.
    transaction.on_commit(lambda: deliver_notification.delay(notification.pk), robust=True)
    return notification


# Ids per delivery task when notifications are written in bulk (a campaign's invitations).
DELIVERY_CHUNK = 500


def notify_many(rows) -> list[int]:
    """Queue many notifications at once: `rows` are unsaved Notification objects (key,
    recipient or email, subject, body, url, region), written with one bulk insert. Keys
    already in the outbox are skipped, so a job that runs twice sends nothing twice. Call
    inside the transaction of the change; on commit, one delivery task per DELIVERY_CHUNK
    ids, never one task per notification. Returns the ids of the rows written now."""
    fresh: dict[str, Notification] = {}
    for row in rows:
        if row.recipient_id is None and row.recipient is None and not row.email:
            raise ValueError("A notification needs a recipient or an email address.")
        if row.recipient_id or row.recipient is not None:
            row.email = ""
        row.subject = row.subject[:200]
        fresh.setdefault(row.key, row)
    if not fresh:
        return []
    existing = set(Notification.objects.filter(key__in=list(fresh))
                   .values_list("key", flat=True))
    new = [row for key, row in fresh.items() if key not in existing]
    if not new:
        return []
    # ignore_conflicts: a key written meanwhile by another run is that run's to deliver.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(Notification.objects.filter(key__in=[row.key for row in new],
                                           delivered_at__isnull=True)
               .order_by("pk").values_list("pk", flat=True))
    from ..tasks import deliver_notifications

    def enqueue():
        for start in range(0, len(ids), DELIVERY_CHUNK):
            deliver_notifications.delay(ids[start:start + DELIVERY_CHUNK])

    transaction.on_commit(enqueue, robust=True)
    return ids


def deliver(*, notification_id: int) -> bool:
    """Send one notification by email, once. True if it was sent by this call."""
    with transaction.atomic():
        # of=("self",): the recipient may be absent (an outer join), which PostgreSQL
        # refuses to lock.
        notification = (
            Notification.objects.select_for_update(of=("self",)).select_related("recipient")
            .filter(pk=notification_id, delivered_at__isnull=True).first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL}{notification.url}".strip()
        send_mail(notification.subject, body, None, [notification.address])
        notification.delivered_at = timezone.now()
        notification.save(update_fields=["attempts", "delivered_at"])
    return True


def undelivered_ids(*, older_than) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(delivered_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at").values_list("pk", flat=True)[:500]
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, actor, notification_ids=None) -> int:
    """Mark the actor's own notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
