from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from ..models import AuditEntry, Role
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
