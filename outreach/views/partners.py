"""Partner networks: city networks and institutional partners that help outreach."""

from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from alliance import permissions
from alliance.pagination import paginate
from alliance.views import history, requires, save_form

from .. import queries
from ..forms import PartnerNetworkForm
from ..services import partners


@requires("outreach.view")
def partner_list(request, region_slug):
    return render(request, "outreach/partner_list.html", {
        "page_obj": paginate(request, queries.partners_in(request.region)),
        "may_edit": permissions.can(request.user, "outreach.edit", region=request.region)})


@requires("outreach.edit")
def partner_create(request, region_slug):
    form = PartnerNetworkForm(request.POST or None)
    create = partial(partners.create_partner_network, actor=request.user, region=request.region)
    return save_form(request, form, create, success=_("Partner network saved."),
                     then=reverse("partner-list", args=[region_slug])) or render(
        request, "outreach/partner_form.html", {"form": form})


@requires("outreach.edit")
def partner_edit(request, region_slug, partner_id):
    partner = get_object_or_404(queries.partners_in(request.region), pk=partner_id)
    if request.method == "POST" and "delete" in request.POST:
        partners.delete_partner_network(actor=request.user, partner=partner)
        messages.success(request, _("Partner network deleted."))
        return redirect("partner-list", region_slug=region_slug)
    form = PartnerNetworkForm(request.POST or None, instance=partner)
    update = partial(partners.update_partner_network, actor=request.user, partner=partner)
    return save_form(request, form, update, success=_("Partner network saved."),
                     then=reverse("partner-list", args=[region_slug])) or render(
        request, "outreach/partner_form.html",
        {"form": form, "partner": partner, "history": history(request, partner)})


urlpatterns = [
    path("partners/", partner_list, name="partner-list"),
    path("partners/new/", partner_create, name="partner-create"),
    path("partners/<int:partner_id>/", partner_edit, name="partner-edit"),
]
