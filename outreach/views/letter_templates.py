"""Letter templates per kind and language, with merge fields."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.errors import DomainError
from alliance.pagination import paginate
from alliance.services import audit
from alliance.views import requires

from .. import queries
from ..forms import LetterTemplateForm
from ..services import letter_templates
from . import form_error


@requires("outreach.view")
def template_list(request, region_slug):
    return render(request, "outreach/template_list.html", {
        "page_obj": paginate(request, queries.templates_in(request.region)),
        "may_edit": permissions.can(request.user, "outreach.edit", region=request.region)})


@requires("outreach.edit")
def template_create(request, region_slug):
    form = LetterTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter_templates.create_letter_template(actor=request.user, region=request.region,
                                                    **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("template-list", region_slug=region_slug)
    return render(request, "outreach/template_form.html", {"form": form})


@requires("outreach.edit")
def template_edit(request, region_slug, template_id):
    template = get_object_or_404(queries.templates_in(request.region), pk=template_id)
    if request.method == "POST" and "delete" in request.POST:
        letter_templates.delete_letter_template(actor=request.user, template=template)
        messages.success(request, _("Template deleted; letters written from it keep their text."))
        return redirect("template-list", region_slug=region_slug)
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            letter_templates.update_letter_template(actor=request.user, template=template,
                                                    **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("template-list", region_slug=region_slug)
    return render(request, "outreach/template_form.html", {
        "form": form, "template": template, "history": audit.history_of(template)[:50]})


urlpatterns = [
    path("templates/", template_list, name="template-list"),
    path("templates/new/", template_create, name="template-create"),
    path("templates/<int:template_id>/", template_edit, name="template-edit"),
]
