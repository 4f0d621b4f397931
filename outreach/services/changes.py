"""Applying a form's or an API call's changes to a row, saying what changed for the audit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from alliance.errors import DomainError


def apply_changes(obj, changes: dict, *, editable: tuple[str, ...]) -> list[str]:
    """Set the editable fields that differ; the names of those that changed, sorted."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    changed = sorted(f for f, v in changes.items() if getattr(obj, f) != v)
    for field in changed:
        setattr(obj, field, changes[field])
    return changed
