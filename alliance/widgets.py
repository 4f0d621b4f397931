"""Widgets every app's forms share."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A select that renders its options in Python: Django's widget templates cost about
    0.1 ms an option, and filter bars and settings forms carry several on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (choice, " selected" if str(choice) == chosen else "", label)
            for choice, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)), options)


def quick_select() -> QuickSelect:
    """A QuickSelect in the design system's look."""
    return QuickSelect(attrs={"class": "form-select"})
