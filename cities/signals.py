"""Signal receivers of the cities app, connected when CitiesConfig.ready() imports this module."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alliance.models import Region
from alliance.signals import invitation_accepted

from .models import Criterion


@receiver(post_save, sender=Region)
def give_new_regions_the_playbook_criteria(sender, instance, created, **kwargs):
    if created:
        from .services.scoring import ensure_playbook_criteria

        ensure_playbook_criteria(instance)


@receiver(post_delete, sender=Criterion)
def reweigh_after_a_criterion_goes(sender, instance, **kwargs):
    """No page deletes criteria, but the Django admin or a shell may: its scores went with
    it, so the stored priorities of its region's cities change."""
    from .services.scoring import recompute_priorities

    recompute_priorities(instance.region)


@receiver(invitation_accepted)
def link_contact_to_account(sender, invitation, user, **kwargs):
    from .services.contacts import link_account

    link_account(invitation=invitation, user=user)
