"""Letter templates per kind and language, with merge fields."""

from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import history, requires, save_form

from .. import queries
from ..forms import LetterTemplateForm
from ..services import letter_templates


@requires("outreach.view")
def template_list(request, region_slug):
    return render(request, "outreach/template_list.html", {
        "page_obj": paginate(request, queries.templates_in(request.region)),
        "may_edit": permissions.can(request.user, "outreach.edit", region=request.region)})


@requires("outreach.edit")
def template_create(request, region_slug):
    form = LetterTemplateForm(request.POST or None)
    create = partial(letter_templates.create_letter_template, actor=request.user,
                     region=request.region)
    return save_form(request, form, create, success=_("Template saved."),
                     then=reverse("template-list", args=[region_slug])) or render(
        request, "outreach/template_form.html", {"form": form})


@requires("outreach.edit")
def template_edit(request, region_slug, template_id):
    template = get_object_or_404(queries.templates_in(request.region), pk=template_id)
    if request.method == "POST" and "delete" in request.POST:
        letter_templates.delete_letter_template(actor=request.user, template=template)
        messages.success(request, _("Template deleted; letters written from it keep their text."))
        return redirect("template-list", region_slug=region_slug)
    form = LetterTemplateForm(request.POST or None, instance=template)
    update = partial(letter_templates.update_letter_template, actor=request.user,
                     template=template)
    return save_form(request, form, update, success=_("Template saved."),
                     then=reverse("template-list", args=[region_slug])) or render(
        request, "outreach/template_form.html",
        {"form": form, "template": template, "history": history(request, template)})


urlpatterns = [
    path("templates/", template_list, name="template-list"),
    path("templates/new/", template_create, name="template-create"),
    path("templates/<int:template_id>/", template_edit, name="template-edit"),
]
