"""Wiring of the experts area 'pipeline' into the core's registries (called from apps.py)."""


def wire() -> None:
    """Audit sentences of the expert pipeline."""
    from .. import audit_labels

    audit_labels.register()
