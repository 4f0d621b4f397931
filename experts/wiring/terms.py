"""Wiring of the experts area 'terms' into the core's registries (called from apps.py): the
audit sentences of the Terms of Reference, the account of an invited expert linked when they
accept the invitation and their landing on the Terms they accept, the global menu's item, and
the demo's global version 3.1."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def wire() -> None:
    from alliance import navigation
    from alliance.demo import add_seeder
    from alliance.services.audit import describe_as
    from alliance.signals import invitation_accepted
    from alliance.wording import field_names

    from ..models import TermsVersion
    from ..starter_terms import seed_global_terms

    describe_as("experts.terms.created", _("Terms of Reference %(version)s drafted"))
    describe_as("experts.terms.changed", _("Terms of Reference draft edited (%(fields)s)"),
                labels={"fields": field_names(TermsVersion)})
    describe_as("experts.terms.published",
                _("Terms of Reference %(version)s published (text hash %(content_hash)s)"))
    describe_as("experts.terms.accepted",
                _("%(actor)s accepted the Terms of Reference %(version)s (text hash "
                  "%(content_hash)s, from %(ip)s)"))
    invitation_accepted.connect(_link_invited_expert, dispatch_uid="experts.terms.link_expert")
    navigation.add_landing(_terms_for_invited_expert)
    navigation.GLOBAL_ITEMS.append(navigation.NavItem(
        _("Terms of Reference"), "global:terms-list", "experts.manage_terms", "file-earmark-text",
        area=("global:terms-create", "global:terms-detail", "global:terms-edit")))
    add_seeder(seed_global_terms)


def _link_invited_expert(sender, invitation, user, **kwargs) -> None:
    from ..services.terms import link_invited_expert

    link_invited_expert(invitation=invitation, user=user)


def _terms_for_invited_expert(invitation, user) -> str:
    """An expert invited through the pipeline goes on to accept the Terms of Reference."""
    from ..services.terms import expert_invited_by

    if expert_invited_by(invitation) is None:
        return ""
    return reverse("terms-accept", kwargs={"region_slug": invitation.region.slug})
