"""Wiring of the experts area 'groups' into the core's registries (called from apps.py)."""


def wire() -> None:
    """Nothing registered yet."""
