"""The library of explanatory materials per language: list, upload, download."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import attachment, refused_into, requires

from .. import queries
from ..forms import MaterialFilterForm, MaterialForm
from ..services import materials


@requires("outreach.view_materials")
def material_list(request, region_slug):
    filters = MaterialFilterForm(request.GET or None)
    language = filters.cleaned_data["language"] if filters.is_valid() else ""
    rows = queries.materials_in(request.region, language=language)
    return render(request, "outreach/material_list.html", {
        "filters": filters, "page_obj": paginate(request, rows),
        "may": {"view": permissions.can(request.user, "outreach.view", region=request.region),
                "manage_materials": permissions.can(request.user, "outreach.manage_materials",
                                                    region=request.region)}})


@requires("outreach.manage_materials")
def material_upload(request, region_slug):
    form = MaterialForm(request.POST or None, request.FILES or None,
                        initial={"language": request.region.default_language})
    if request.method == "POST" and form.is_valid():
        with refused_into(form):
            materials.upload_material(actor=request.user, region=request.region,
                                      **form.cleaned_data)
            messages.success(request, _("Material added to the library."))
            return redirect("material-list", region_slug=region_slug)
    return render(request, "outreach/material_upload.html", {"form": form})


@requires("outreach.view_materials")
def material_download(request, region_slug, material_id):
    material = get_object_or_404(queries.materials_in(request.region), pk=material_id)
    return attachment(material.file, title=material.title)


urlpatterns = [
    path("materials/", material_list, name="material-list"),
    path("materials/upload/", material_upload, name="material-upload"),
    path("materials/<int:material_id>/download/", material_download, name="material-download"),
]
