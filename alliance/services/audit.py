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


# What an action code means to a person; apps add theirs with `describe_as`. The text may
# use the entry's data, e.g. "%(old)s → %(new)s".
DESCRIPTIONS: dict[str, str] = {}


def describe_as(action: str, text) -> None:
    DESCRIPTIONS[action] = text


def describe(entry: AuditEntry) -> str:
    text = DESCRIPTIONS.get(entry.action)
    if text is None:
        return entry.action
    try:
        return str(text) % _displayable(entry.data)
    except (KeyError, TypeError, ValueError):
        return str(text)


def _displayable(data: dict) -> dict:
    from django.utils.text import capfirst

    return {k: capfirst(str(v).replace("_", " ")) if isinstance(v, str) else v
            for k, v in data.items()}
