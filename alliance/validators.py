"""Text the portal stores holds no control characters.

A vertical tab or a NUL in a city name breaks every later reader that is stricter than the
database: the XLSX export (openpyxl refuses them), PDFs, CSV consumers, e-mail headers. So
they are refused where text comes in, with the character named, and
`refuse_control_characters_everywhere()` makes that the default for every Django form field
and DRF serializer field that holds text, so a new form or serializer needs no line for it.
Text that arrives by another door (the city import, a bare POST parameter) calls
`text_problem()` or `validate_text()` itself.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy
from rest_framework import fields as api_fields
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.fields import get_error_detail

# C0 controls except tab, newline and carriage return (text areas and CSV cells hold those),
# plus DEL. This is also the set openpyxl refuses in a cell, less the three allowed here.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NULL_CHARACTER_CODE = ProhibitNullCharactersValidator.code


def text_problem(value) -> str | None:
    """The reason a text cannot be stored, or None when it is fine."""
    errors = _control_character_errors(value)
    return errors[0].messages[0] if errors else None


@deconstructible
class NoControlCharacters:
    message = gettext_lazy("Remove the control character (%(codepoint)s) from this text.")
    code = "control_character"

    def __call__(self, value):
        match = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
        if match is not None:
            raise ValidationError(self.message, code=self.code,
                                  params={"codepoint": f"U+{ord(match.group()):04X}"})

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)

    def __hash__(self):
        return hash(NoControlCharacters)


validate_text = NoControlCharacters()


def refuse_control_characters_everywhere() -> None:
    """Run the check in every text field of a form or serializer, subclasses included.

    It wraps the fields' `run_validators` rather than adding to `default_validators`,
    because the defaults do not reach every field: DRF's ModelSerializer passes the model
    field's validators explicitly (which replaces the defaults), URLField and EmailField
    bring their own (whose patterns let a control character through in a path or a quoted
    local part), and a form field built before this runs (admin and allauth forms are
    imported first) keeps the list it was built with. Django's own NUL check is dropped
    from the answer: this one says the same and names the character.
    """
    if not getattr(forms.CharField.run_validators, "checks_control_characters", False):
        forms.CharField.run_validators = _form_check(forms.CharField.run_validators)
    if not getattr(api_fields.CharField.run_validators, "checks_control_characters", False):
        api_fields.CharField.run_validators = _api_check(api_fields.CharField.run_validators)


def _form_check(run_validators):
    def checked(self, value):
        errors = _control_character_errors(value)
        try:
            run_validators(self, value)
        except ValidationError as error:
            errors += [e for e in error.error_list
                       if not (errors and e.code == NULL_CHARACTER_CODE)]
        if errors:
            raise ValidationError(errors)

    checked.checks_control_characters = True
    return checked


def _api_check(run_validators):
    def checked(self, value):
        errors = [detail for error in _control_character_errors(value)
                  for detail in get_error_detail(error)]
        try:
            run_validators(self, value)
        except ApiValidationError as error:
            if isinstance(error.detail, dict):
                raise
            errors += [d for d in error.detail
                       if not (errors and getattr(d, "code", None) == NULL_CHARACTER_CODE)]
        if errors:
            raise ApiValidationError(errors)

    checked.checks_control_characters = True
    return checked


def _control_character_errors(value) -> list[ValidationError]:
    try:
        validate_text(value)
    except ValidationError as error:
        return error.error_list
    return []
