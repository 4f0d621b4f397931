"""Widgets every app's forms share.

The design system's widget templates (templates/django/forms/widgets/) cost about 0.1 ms a
control and as much again an option; filter bars and settings forms carry several on every
page. These write the same controls in Python: the theme's class first, then the form's
class and the field's attributes (flatatt's order, which HTML does not mind)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


def control_attrs(control_class: str, attrs: dict) -> str:
    """A control's attributes, as widgets/control_attrs.html writes them."""
    own = attrs.get("class")
    return flatatt({**attrs, "class": f"{control_class} {own}" if own else control_class})


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (choice, " selected" if str(choice) == chosen else "", label)
            for choice, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name,
                           control_attrs("form-select", self.build_attrs(self.attrs, attrs)),
                           options)


class QuickInput(forms.TextInput):
    """A text input; QuickInput(attrs={"type": "email"}) for another kind."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name,
                           format_html(' value="{}"', value) if value is not None else "",
                           control_attrs("form-control", self.build_attrs(self.attrs, attrs)))


class QuickTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name,
                           control_attrs("form-control", self.build_attrs(self.attrs, attrs)),
                           self.format_value(value) or "")


class QuickRadioSelect(forms.RadioSelect):
    """Radio buttons for a flat list of choices (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        own = attrs.get("class")
        options = format_html_join("", (
            '<div class="form-check"><input type="{}" name="{}" value="{}"{}>'
            '<label class="form-check-label"{}>{}</label></div>'), (
            (self.input_type, name, option["value"],
             control_attrs("form-check-input", option["attrs"]),
             format_html(' for="{}"', option["attrs"]["id"]) if "id" in option["attrs"] else "",
             option["label"])
            for option in self.options(name, self.format_value(value), attrs)))
        return format_html('<div{} class="{}">{}</div>',
                           format_html(' id="{}"', attrs["id"]) if "id" in attrs else "",
                           f"form-check-list {own}" if own else "form-check-list", options)
