"""Choice labels in the reader's language, worded once per language.

`get_FOO_display()` builds the field's whole choice table on every call, translating each
label to hash it: on a list that is a choice table per row and column. These are worded once
per language and process (the message catalogues do not change while it runs); a row then
costs a dict lookup."""

from functools import cache

from django.db.models import Choices
from django.utils.translation import get_language


def labels_of(choices: type[Choices]) -> dict[str, str]:
    """{value: label} of a Choices class (Role, ApprovalRequest.State) in the active language."""
    return _worded(choices, get_language())


@cache
def _worded(choices: type[Choices], language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[Choices], value: str) -> str:
    """The label of `value`; a value the choices no longer hold reads as itself, as
    `get_FOO_display()` shows it."""
    return labels_of(choices).get(value, value)
