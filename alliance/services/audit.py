from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from ..models import AuditEntry, Role, quoted_of
from ..wording import word


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


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """An entry as a history shows it (`describe` reads it as it reads an entry): read as
    values, a page's fifty lines cost a fraction of fifty entries and their actors."""

    created_at: object
    action: str
    data: dict
    actor_id: int | None
    actor: str  # the name `User.__str__` gives

    @property
    def quoted(self) -> str:
        return quoted_of(self.data)


def recent_history(target, limit: int) -> list[HistoryLine]:
    """The latest `limit` lines of `target`'s audit trail, newest first."""
    return [HistoryLine(created_at, action, data, actor_id, name or email or "")
            for created_at, action, data, actor_id, name, email in history_of(target).values_list(
                "created_at", "action", "data", "actor_id", "actor__full_name",
                "actor__email")[:limit]]


# What an action code means to a person; apps add theirs with `describe_as` in their
# AppConfig.ready() (tests/alliance/test_audit_descriptions.py finds every code recorded and
# fails on one with no text). The text may use the entry's data, e.g. "%(old)s → %(new)s",
# and `%(actor)s`, the person who acted; a text without it is said by the actor. Stored codes
# read through `labels` in the reader's language (alliance.wording): {"new": Stage}.
@dataclass(frozen=True)
class Description:
    text: object  # a text, or text(data) when the entry's own data words it
    labels: dict = field(default_factory=dict)


DESCRIPTIONS: dict[str, Description] = {}
# Data every action may carry: a person's role.
COMMON_LABELS = {"role": Role}


def describe_as(action: str, text, *, labels: dict | None = None) -> None:
    DESCRIPTIONS[action] = Description(text, labels or {})


def describe(entry: AuditEntry) -> str:
    """One sentence with the actor, in the active language: "Paola Herrera asked for a
    decision: …"."""
    actor = str(entry.actor) if entry.actor_id else _("The portal")
    description = DESCRIPTIONS.get(entry.action)
    if description is None:
        return _("%(actor)s made a change") % {"actor": actor}
    text = description.text
    if callable(text):
        text = text(entry.data)
    sentence = word(text, {**entry.data, "actor": actor},
                    {**COMMON_LABELS, **description.labels})
    if "%(actor)s" in str(text):
        return sentence
    return _("%(actor)s: %(what)s") % {"actor": actor, "what": sentence}
