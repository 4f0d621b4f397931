"""The one way a service changes a row it read: lock it, change the named fields that differ,
save only those, and audit their old and new values.

Lock first, then read: two people (or a person and a job) may act on the same row at once,
and a row read before the lock can be saved over a change made in between (a stage move
undone by an edit of the name). Saving only the changed fields keeps the columns another
service owns out of the UPDATE."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from ..errors import DomainError
from . import audit

M = TypeVar("M", bound=models.Model)


def locked(obj: M, *related: str) -> M:
    """The row again, locked until the caller's transaction ends: decide on this copy only.

    Only the row itself is locked (`of=("self",)`): a related row may be null, which
    PostgreSQL cannot lock through an outer join."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "locked() holds the lock until the caller's transaction.atomic() ends.")
    return (type(obj)._default_manager.select_for_update(of=("self",))
            .select_related(*related).get(pk=obj.pk))


class Saved(NamedTuple):
    row: models.Model
    changed: list[str]


def save_changes(*, actor, obj: M, changes: dict, editable: Iterable[str], action: str,
                 check: Callable[[M], None] | None = None, related: tuple[str, ...] = (),
                 **options) -> Saved:
    """Inside the caller's transaction: lock `obj`'s row, run `check` on the locked copy
    (it raises to refuse), then `save_locked` the changes on it."""
    refuse_unknown(changes, editable)
    row = locked(obj, *related)
    if check is not None:
        check(row)
    return save_locked(actor=actor, row=row, changes=changes, editable=editable,
                       action=action, **options)


def save_locked(*, actor, row: M, changes: dict, editable: Iterable[str], action: str,
                also: dict | None = None, validate: bool = False, target=None, region=None,
                **data) -> Saved:
    """For a row the caller locked in this transaction (`locked()`, or a select_for_update
    of many): set the `editable` fields of `changes` that differ, save only those, and write
    one audit entry `action` with {field: {"old", "new"}}, plus `also` (changes the caller
    made itself, such as many-to-many ones), `fields` naming all of them, and `data`.

    Nothing is saved or audited when nothing differs. A field outside `editable` refuses the
    whole change. `validate` runs the model's full_clean() before saving. `target` names the
    object whose history shows the entry when it is not the row itself (a letter of intent's
    terms show on its letter); `region` is the entry's region when the row has none of its own
    (a region's own settings)."""
    refuse_unknown(changes, editable)
    old = {f: getattr(row, f) for f, v in changes.items() if getattr(row, f) != v}
    changed = sorted(old)
    for field in changed:
        setattr(row, field, changes[field])
    if validate and changed:
        row.full_clean()
    if changed:
        row.save(update_fields=changed)
    diff = {f: {"old": _plain(old[f]), "new": _plain(getattr(row, f))} for f in changed}
    diff.update(also or {})
    if diff:
        audit.record(actor=actor, action=action, target=row if target is None else target,
                     region=region if region is not None else getattr(row, "region", None),
                     fields=", ".join(sorted(diff)), **diff, **data)
    return Saved(row, changed)


def refuse_unknown(changes: dict, editable: Iterable[str]) -> None:
    """A change naming a field the caller may not change is refused whole."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})


def _plain(value):
    """What the audit row (JSON) keeps of a value: itself when JSON has it, else its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
