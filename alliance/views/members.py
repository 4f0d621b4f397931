from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, queries
from ..forms import RegionSettingsForm
from ..pagination import paginate
from ..services import regions
from . import here_prefix, history, refused_as_message, refused_into, requires


@requires("alliance.view_members")
def member_list(request, region_slug):
    region = request.region
    may_edit = permissions.can(request.user, "alliance.edit_region", region=region)
    form = RegionSettingsForm(request.POST or None, instance=region) if may_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        with refused_into(form):
            regions.update_region(actor=request.user, region=region, **{
                f: form.cleaned_data[f] for f in regions.EDITABLE})
            messages.success(request, _("Region settings saved."))
            return redirect("member-list", region_slug=region.slug)
    return render(request, "alliance/member_list.html", {
        "page_obj": paginate(request, queries.members_of(region)), "form": form,
        "may_manage": permissions.can(request.user, "alliance.manage_members", region=region),
        "member_url": here_prefix(request, "member-remove", "membership_id"),
        "history": history(request, region),
    })


@require_POST
@requires("alliance.manage_members")
def member_remove(request, region_slug, membership_id):
    membership = get_object_or_404(queries.members_of(request.region), pk=membership_id)
    with refused_as_message(request):
        regions.remove_membership(actor=request.user, membership=membership)
        messages.success(request, _("%(user)s no longer holds that role here.")
                         % {"user": membership.user})
    return redirect("member-list", region_slug=request.region.slug)


