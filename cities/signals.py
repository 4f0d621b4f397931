from django.db.models.signals import post_save
from django.dispatch import receiver

from alliance.models import Region


@receiver(post_save, sender=Region)
def give_new_regions_the_playbook_criteria(sender, instance, created, **kwargs):
    if created:
        from .services.scoring import ensure_playbook_criteria

        ensure_playbook_criteria(instance)
