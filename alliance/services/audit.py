from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ..models import AuditEntry


def record(*, actor, action: str, target, region=None, **data) -> AuditEntry:
    """Write one audit row: a dotted action code and what changed (old/new, comment, ...)."""
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        region=region,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        data=data,
    )


def history_of(target):
    """The audit trail of one object, newest first (runs inside the caller's scope)."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("actor")
