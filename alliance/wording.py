"""Sentences kept as a text and its values, worded when they are shown.

A history line, an approval's title or a notification is read by people in different
languages, long after it was written: store the codes ("committed") and names it needs, never
the finished English, and word it in the reader's language at display time. Labels say how a
coded value reads: a Choices class or a {code: label} mapping looks the value up, a callable
words it from all the values (a list of field names, a number)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Choices
from django.utils import formats

from .labels import labels_of

Labels = Mapping[str, object]


def word(text, values: Mapping, labels: Labels | None = None) -> str:
    """`text % values` in the active language, each labelled value shown as its label.

    A text whose placeholders the values do not fill (an entry older than its wording) is
    shown as written rather than raising on a page."""
    shown = {**values}
    for key, labeler in (labels or {}).items():
        if _is_lookup(labeler):
            if key in values:
                table = labels_of(labeler) if isinstance(labeler, type) else labeler
                shown[key] = table.get(values[key], values[key])
        else:
            shown[key] = labeler(values)
    try:
        return str(text) % shown
    except (KeyError, TypeError, ValueError):
        return str(text)


def _is_lookup(labeler) -> bool:
    # Not hasattr(labeler, "choices"): a Choices class builds that list on every access.
    return isinstance(labeler, Mapping) or (isinstance(labeler, type)
                                            and issubclass(labeler, Choices))


def field_names(model) -> Callable[[Mapping], str]:
    """Words a stored "name, stage" list of `model`'s fields as their verbose names."""

    def worded(values: Mapping) -> str:
        names = [n for n in str(values.get("fields", "")).split(", ") if n]
        return ", ".join(str(_verbose_name(model, n)) for n in names)

    return worded


def _verbose_name(model, name: str):
    try:
        return model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field since removed keeps its stored name
        return name


def number(key: str) -> Callable[[Mapping], str]:
    """Words the stored number under `key` as the reader's language writes it (1,5 or 1.5)."""

    def worded(values: Mapping) -> str:
        try:
            value = Decimal(str(values.get(key)))
        except InvalidOperation:
            return values.get(key)
        return formats.number_format(value, use_l10n=True, force_grouping=True)

    return worded
