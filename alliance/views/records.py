"""The list, create and edit/delete pages of a simple record of a region (partner networks,
letter templates, ...), declared once: an app names its form, rows, services, templates and
messages; the pages, their rights and their URLs follow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from .. import permissions
from ..pagination import paginate
from . import history, refused_as_message, requires, save_form


@dataclass(frozen=True)
class RecordPages:
    """URL names `<noun>-list`, `<noun>-create` and `<noun>-edit` (kwarg `<noun>_id`) under
    `prefix`. The list template gets `page_obj` and `may_edit`; the form template gets `form`
    and, when editing, the record as `<noun>` and its `history`.

    The services take the actor and: create(region=, **fields), update(<noun>=, **fields),
    delete(<noun>=)."""

    noun: str
    prefix: str
    form: type
    rows: Callable  # rows(region) -> the region's records, as the list shows them
    create: Callable
    update: Callable
    delete: Callable
    list_template: str
    form_template: str
    saved: str
    deleted: str
    view_action: str
    edit_action: str

    def urls(self) -> list:
        return [path(f"{self.prefix}/", self._list_view(), name=f"{self.noun}-list"),
                path(f"{self.prefix}/new/", self._create_view(), name=f"{self.noun}-create"),
                path(f"{self.prefix}/<int:{self.noun}_id>/", self._edit_view(),
                     name=f"{self.noun}-edit")]

    def _to_list(self, request):
        return reverse(f"{self.noun}-list", kwargs={"region_slug": request.region.slug})

    def _list_view(self):
        @requires(self.view_action)
        def record_list(request, region_slug):
            return render(request, self.list_template, {
                "page_obj": paginate(request, self.rows(request.region)),
                "may_edit": permissions.can(request.user, self.edit_action,
                                            region=request.region)})
        return record_list

    def _create_view(self):
        @requires(self.edit_action)
        def record_create(request, region_slug):
            form = self.form(request.POST or None)

            def create(**fields):
                self.create(actor=request.user, region=request.region, **fields)

            return save_form(request, form, create, success=str(self.saved),
                             then=self._to_list(request)) or render(
                request, self.form_template, {"form": form})
        return record_create

    def _edit_view(self):
        @requires(self.edit_action)
        def record_edit(request, region_slug, **kwargs):
            record = get_object_or_404(self.rows(request.region), pk=kwargs[f"{self.noun}_id"])
            if request.method == "POST" and "delete" in request.POST:
                with refused_as_message(request):
                    self.delete(actor=request.user, **{self.noun: record})
                    messages.success(request, str(self.deleted))
                    return redirect(self._to_list(request))
                return redirect(request.path)
            form = self.form(request.POST or None, instance=record)

            def update(**fields):
                self.update(actor=request.user, **{self.noun: record}, **fields)

            return save_form(request, form, update, success=str(self.saved),
                             then=self._to_list(request)) or render(
                request, self.form_template,
                {"form": form, self.noun: record, "history": history(request, record)})
        return record_edit
