"""Searchable pickers: a form field whose choices grow with the region never renders them.

A picker is a text box that asks the server for the few rows matching what was typed (an
htmx-style endpoint answering an HTML list, static/js/picker.js) and keeps the chosen row's
id in a hidden input. Without JavaScript the typed text itself is sent, and the field
accepts it when it names exactly one row. Apps declare their pickers in `AppConfig.ready()`:

    pickers.register(Picker("cities", "cities.view", cities_of, search=("name", "local_name")))

and use them in forms as `PickerField("cities")`, bound to the region by `bind_pickers(form,
region)`. Each picker gets its own URL under the region (`pick/<name>/`), so the tenancy
isolation check requests every one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions

OPTION_LIMIT = 12  # rows an answer lists; typing more narrows the rest
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class Picker:
    name: str
    action: str  # what a person needs to be allowed to search these rows
    rows: Callable  # rows(region) -> the queryset the region offers
    search: tuple[str, ...]  # fields matched by what is typed (a word in any of them)
    label: Callable[[Model], str] = str
    detail: Callable[[Model], str] = field(default=lambda row: "")  # a second, muted line

    def matching(self, region, text: str, *, exclude=None) -> QuerySet:
        rows = self.rows(region)
        if exclude:
            rows = rows.exclude(pk=exclude)
        words = text.split()
        for word in words:
            rows = rows.filter(Q.create([(f"{name}__icontains", word) for name in self.search],
                                        connector=Q.OR))
        return rows


PICKERS: dict[str, Picker] = {}


def register(picker: Picker) -> None:
    PICKERS[picker.name] = picker


def options(request, region_slug, picker: Picker):
    """The rows matching `?q=` (the first rows when empty), as list items to choose from."""
    if not permissions.can(request.user, picker.action, region=request.region):
        raise PermissionDenied
    text = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
    exclude = request.GET.get("exclude", "")
    rows = picker.matching(request.region, text,
                           exclude=int(exclude) if exclude.isdigit() else None)
    found = list(rows[:OPTION_LIMIT + 1])
    return render(request, "alliance/_picker_options.html", {
        "options": [(row.pk, picker.label(row), picker.detail(row))
                    for row in found[:OPTION_LIMIT]],
        "more": len(found) > OPTION_LIMIT, "query": text,
    })


def urlpatterns() -> list:
    """One URL per registered picker: `r/<region>/pick/<name>/`, named `picker-<name>`."""
    return [path(f"pick/{name}/", options, {"picker": picker}, name=f"picker-{name}")
            for name, picker in PICKERS.items()]


class PickerWidget(forms.Widget):
    """A text box plus the hidden id; it renders the chosen row, never the choices."""

    template_name = "alliance/_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.source_url = ""
        self.exclude = None
        self.chosen_label: Callable[[object], str] = lambda value: ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(source_url=self.source_url, exclude=self.exclude,
                                 text=self.chosen_label(value))
        return context

    def value_from_datadict(self, data, files, name):
        """The chosen id; else the typed text (no JavaScript, or typed and not chosen)."""
        return data.get(name) or data.get(f"{name}_text", "").strip()

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data


class PickerField(forms.Field):
    """A row of the region chosen with a picker: an id, or the exact name of one row."""

    widget = PickerWidget
    default_error_messages = {
        "unknown": gettext_lazy("Nothing here is called “%(text)s”. Type part of the name "
                                "and choose from the list."),
        "ambiguous": gettext_lazy("More than one is called “%(text)s”: choose from the list."),
    }

    def __init__(self, picker_name: str, **kwargs):
        super().__init__(**kwargs)
        self.picker_name = picker_name
        self.region = None
        self.exclude = None

    @property
    def picker(self) -> Picker:
        return PICKERS[self.picker_name]

    def bind(self, region, *, exclude=None) -> None:
        self.region, self.exclude = region, exclude
        self.widget.source_url = reverse(f"picker-{self.picker_name}",
                                         kwargs={"region_slug": region.slug})
        self.widget.exclude = exclude
        self.widget.chosen_label = self._label_of

    def _label_of(self, value) -> str:
        if isinstance(value, Model):
            return self.picker.label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            row = self._rows().filter(pk=value).first()
            return self.picker.label(row) if row else ""
        return value or ""

    def _rows(self) -> QuerySet:
        rows = self.picker.rows(self.region)
        return rows.exclude(pk=self.exclude) if self.exclude else rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        text = str(value)
        if text.isdigit():
            row = self._rows().filter(pk=int(text)).first()
            if row is None:
                raise forms.ValidationError(_("Choose from the list."), code="invalid_choice")
            return row
        # Typed, not chosen: it counts when it is exactly what one row is called (any case).
        exactly = Q.create([(f"{name}__iexact", text) for name in self.picker.search],
                           connector=Q.OR)
        named = list(self._rows().filter(exactly)[:2])
        if not named:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown",
                                        params={"text": text})
        if len(named) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous",
                                        params={"text": text})
        return named[0]

    def prepare_value(self, value):
        return value.pk if isinstance(value, Model) else value


def bind_pickers(form: forms.BaseForm, region, **excludes) -> None:
    """Point every PickerField of `form` at the region (`field_name=pk` excludes a row)."""
    for name, form_field in form.fields.items():
        if isinstance(form_field, PickerField):
            form_field.bind(region, exclude=excludes.get(name))
