from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import navigation, queries
from ..forms import AcceptInvitationForm, InvitationForm
from ..models import Invitation
from ..pagination import paginate
from ..services import invitations
from . import here, here_prefix, history, refused, refused_as_message, refused_into, requires


@requires("alliance.invite_member")
def invitation_list(request, region_slug=None):
    form = InvitationForm(request.POST or None, actor=request.user, region=request.region)
    if request.method == "POST" and form.is_valid():
        region = request.region or form.cleaned_data.get("region")
        with refused_into(form):
            invitation = invitations.invite(actor=request.user, email=form.cleaned_data["email"],
                                            role=form.cleaned_data["role"], region=region)
            if invitation.state == Invitation.State.AWAITING_APPROVAL:
                messages.info(request, _("Invitation waits for the Global Secretariat's "
                                         "approval; it is sent once approved."))
            else:
                messages.success(request, _("Invitation sent to %(email)s.")
                                 % {"email": invitation.email})
            return redirect(here(request, "invitation-list"))
    return render(request, "alliance/invitation_list.html", {
        "form": form, "page_obj": paginate(request, queries.invitations_in(request.region)),
        "invitation_url": here_prefix(request, "invitation-detail", "invitation_id"),
    })


@requires("alliance.invite_member")
def invitation_detail(request, invitation_id, region_slug=None):
    invitation = get_object_or_404(queries.invitations_in(request.region), pk=invitation_id)
    return render(request, "alliance/invitation_detail.html", {
        "invitation": invitation, "history": history(request, invitation),
    })


@require_POST
@requires("alliance.invite_member")
def invitation_action(request, invitation_id, action, region_slug=None):
    service = {"resend": invitations.resend, "revoke": invitations.revoke}.get(action)
    if service is None:
        raise Http404
    invitation = get_object_or_404(Invitation.objects.all(), pk=invitation_id)
    with refused_as_message(request):
        service(actor=request.user, invitation=invitation)
        messages.success(request, _("Invitation resent.") if action == "resend"
                         else _("Invitation revoked."))
    return redirect(here(request, "invitation-detail", invitation_id=invitation.pk))


def accept_invitation(request, token):
    """The signed link from the email. Works once, for 7 days, for that address only."""
    with refused() as refusal:
        invitation = invitations.invitation_from_token(token)
    if refusal:
        return render(request, "alliance/invitation_invalid.html",
                      {"reason": refusal.error.message}, status=410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(request.POST or None,
                                                       email=invitation.email)
    if request.method == "POST" and (signed_in or form.is_valid()):
        with refused_as_message(request) as refusal:
            user, invitation = invitations.accept(
                token=token, user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password1"])
        if refusal:
            return redirect(request.path)
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to the Alliance Portal."))
        return redirect(navigation.landing_after_invitation(invitation, user))
    return render(request, "alliance/invitation_accept.html",
                  {"invitation": invitation, "form": form})
