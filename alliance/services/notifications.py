"""The notifications outbox: a row written with the change, delivered later by a task."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification


def notify(*, recipient, key: str, subject: str, body: str = "", url: str = "",
           region=None) -> Notification:
    """Queue a notification. Call inside the transaction of the change that causes it.

    `key` is the natural idempotency key ("approval:12:decided"): a second call with the
    same key returns the existing row and queues nothing."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={"recipient": recipient, "subject": subject[:200], "body": body, "url": url,
                  "region": region},
    )
    if created:
        from ..tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def deliver(*, notification_id: int) -> bool:
    """Send one notification by email, once. True if it was sent by this call."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient")
            .filter(pk=notification_id, delivered_at__isnull=True).first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL}{notification.url}".strip()
        send_mail(notification.subject, body, None, [notification.recipient.email])
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
