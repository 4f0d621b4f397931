"""Personal API tokens (django-rest-knox): the secret is shown once and stored as a digest."""

from django.db import transaction

from ..models import ApiToken
from . import audit


def create_token(*, actor, name: str) -> str:
    with transaction.atomic():
        instance, secret = ApiToken.objects.create(user=actor, expiry=None)
        instance.name = name
        instance.save(update_fields=["name"])
        audit.record(actor=actor, action="alliance.api_token.created", target=actor,
                     name=name, key=instance.token_key)
    return secret


def revoke_token(*, actor, token_key: str) -> bool:
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(user=actor, token_key=token_key).delete()
        if deleted:
            audit.record(actor=actor, action="alliance.api_token.revoked", target=actor,
                         key=token_key)
    return bool(deleted)
