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


# What an action code means to a person; apps add theirs with `describe_as` in their
# AppConfig.ready() (tests/alliance/test_audit_descriptions.py finds every code recorded and
# fails on one with no text). The text may use the entry's data, e.g. "%(old)s → %(new)s",
# and `%(actor)s`, the person who acted; a text without it is said by the actor.
DESCRIPTIONS: dict[str, str] = {}


def describe_as(action: str, text) -> None:
    DESCRIPTIONS[action] = text


def describe(entry: AuditEntry) -> str:
    """One sentence with the actor: "Paola Herrera asked for a decision: …"."""
    from django.utils.translation import gettext as _

    actor = str(entry.actor) if entry.actor_id else _("The portal")
    text = DESCRIPTIONS.get(entry.action)
    if callable(text):  # worded by the entry's own data (an approval's kind)
        text = text(entry.data)
    if text is None:
        return _("%(actor)s made a change") % {"actor": actor}
    values = {**_displayable(entry.data), "actor": actor}
    if "kind" in entry.data:
        from ..approvals import label_of

        values["kind"] = label_of(str(entry.data["kind"]))
    try:
        sentence = str(text) % values
    except (KeyError, TypeError, ValueError):
        sentence = str(text)
    if "%(actor)s" in str(text):
        return sentence
    return _("%(actor)s: %(what)s") % {"actor": actor, "what": sentence}


def _displayable(data: dict) -> dict:
    """Stored codes ("changes_requested") read as words; names and addresses stay as typed."""
    import re

    from django.utils.text import capfirst

    from ..models import Role

    def shown(key, value):
        if key == "role" and value in Role.values:
            return Role(value).label
        if isinstance(value, str) and re.fullmatch(r"[a-z_]+", value):
            return capfirst(value.replace("_", " "))
        return value

    return {k: shown(k, v) for k, v in data.items()}
